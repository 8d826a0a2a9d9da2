import protobuf from 'protobufjs';
import { PROTO_SOURCES } from './proto-sources.js';

/**
 * The Mesos schema loaded twice from the same text:
 * - `declared` is the schema as written; validation reads `required` from it.
 * - `wire` has every `required` turned into `optional`, because protobufjs throws an
 *   untyped error naming only the field (not its path) when a required field is missing,
 *   and its encoder writes required fields even when absent. Presence is proto2's either
 *   way, so both give the same bytes for a valid message.
 */
export interface MesosSchema {
  readonly declared: protobuf.Root;
  readonly wire: protobuf.Root;
}

/**
 * Parses the .proto texts (file name → source, in import order). The default is the copy
 * of proto/ compiled into proto-sources.ts, so a built kmesos needs no files beside it.
 */
export function loadMesosSchema(sources: Readonly<Record<string, string>> = PROTO_SOURCES): MesosSchema {
  const texts = Object.values(sources);
  return {
    declared: parseAll(texts),
    wire: parseAll(texts.map(relaxRequired)),
  };
}

function parseAll(sources: readonly string[]): protobuf.Root {
  const root = new protobuf.Root();
  // keepCase: the in-memory objects use the proto field names, as Mesos' JSON does.
  for (const source of sources) protobuf.parse(source, root, { keepCase: true });
  root.resolveAll();
  return root;
}

/** Rewrites the `required` label of every field; comments never start a line with it. */
function relaxRequired(source: string): string {
  return source.replace(/^(\s*)required(\s)/gm, '$1optional$2');
}

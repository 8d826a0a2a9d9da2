import protobuf from 'protobufjs';
import { isRecord, type Flavor, type PlainMessage, type PlainValue } from './plain.js';
import { fail, ok, type CodecError, type Result } from './result.js';
import { readScalar } from './read-scalar.js';

/** ContainerID.parent is the only recursive field; no real message nests this deep. */
export const MAX_DEPTH = 32;

type Read = Result<PlainValue | undefined, CodecError>;

/**
 * Checks `input` against `type` and builds its plain form: unknown fields are ignored,
 * `null` counts as absent, required fields must be present, and every value must have
 * its field's type. The first problem found is returned with its path.
 */
export function readMessage(
  type: protobuf.Type,
  input: unknown,
  path: string,
  flavor: Flavor,
  depth = 0,
): Result<PlainMessage, CodecError> {
  if (depth > MAX_DEPTH) return fail(path, `nested more than ${MAX_DEPTH} deep`);
  if (!isRecord(input)) return fail(path, 'must be an object');
  const out: PlainMessage = {};
  for (const field of type.fieldsArray) {
    const fieldPath = `${path}.${field.name}`;
    const raw = Object.hasOwn(input, field.name) ? input[field.name] : undefined;
    const read: Read =
      raw === undefined || raw === null
        ? ok(undefined)
        : field instanceof protobuf.MapField
          ? readMap(field, raw, fieldPath, flavor, depth)
          : field.repeated
            ? readRepeated(field, raw, fieldPath, flavor, depth)
            : readSingle(field, raw, fieldPath, flavor, depth);
    if (!read.ok) return read;
    if (read.value !== undefined) out[field.name] = read.value;
    else if (field.required) return fail(fieldPath, 'required');
  }
  return ok(out);
}

function readRepeated(
  field: protobuf.Field,
  raw: unknown,
  path: string,
  flavor: Flavor,
  depth: number,
): Read {
  if (!Array.isArray(raw)) return fail(path, 'must be an array');
  const items: PlainValue[] = [];
  for (const [index, item] of (raw as unknown[]).entries()) {
    const itemPath = `${path}[${index}]`;
    if (item === null || item === undefined) return fail(itemPath, 'must not be null');
    const read = readSingle(field, item, itemPath, flavor, depth);
    if (!read.ok) return read;
    if (read.value !== undefined) items.push(read.value);
  }
  // An empty list and an absent one are the same on the wire, so both read as absent.
  return ok(items.length > 0 ? items : undefined);
}

/** A map field: an object of string keys in JSON and in protobufjs' decoded form alike. */
function readMap(field: protobuf.MapField, raw: unknown, path: string, flavor: Flavor, depth: number): Read {
  if (!isRecord(raw)) return fail(path, 'must be an object');
  const out: PlainMessage = {};
  for (const [key, item] of Object.entries(raw)) {
    const itemPath = `${path}[${JSON.stringify(key)}]`;
    if (item === null || item === undefined) return fail(itemPath, 'must not be null');
    const read = readSingle(field, item, itemPath, flavor, depth);
    if (!read.ok) return read;
    if (read.value !== undefined) out[key] = read.value;
  }
  return ok(Object.keys(out).length > 0 ? out : undefined);
}

function readSingle(
  field: protobuf.FieldBase,
  raw: unknown,
  path: string,
  flavor: Flavor,
  depth: number,
): Read {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return readMessage(resolved, raw, path, flavor, depth + 1);
  if (resolved instanceof protobuf.Enum) return readEnum(resolved, raw, path, flavor);
  return readScalar(field.type, raw, path, flavor);
}

function readEnum(type: protobuf.Enum, raw: unknown, path: string, flavor: Flavor): Read {
  if (typeof raw === 'string') {
    if (Object.hasOwn(type.values, raw)) return ok(raw);
    return fail(path, `unknown value ${JSON.stringify(raw)} of ${type.fullName.slice(1)}`);
  }
  if (flavor === 'wire' && typeof raw === 'number') return ok(undefined);
  return fail(path, `must be a ${type.fullName.slice(1)} name`);
}

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROTO_FILES, renderProtoSources } from './gen-sources.js';
import { renderTypeModules } from './gen-types.js';
import { loadMesosSchema } from './schema.js';

/**
 * proto/*.proto is the one source: proto-sources.ts and types/ are rendered from it.
 * After a .proto change, KMESOS_WRITE_MESOS_GENERATED=1 rewrites them instead of failing.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const protos = new Map(
  PROTO_FILES.map((file) => [file, readFileSync(path.join(here, 'proto', file), 'utf8')]),
);
const expected: [string, string][] = [
  ['proto-sources.ts', renderProtoSources(protos)],
  ...renderTypeModules(loadMesosSchema(Object.fromEntries(protos)).declared).map(
    ({ file, source }): [string, string] => [`types/${file}`, source],
  ),
];

if (process.env['KMESOS_WRITE_MESOS_GENERATED'] === '1') {
  for (const [file, source] of expected) writeFileSync(path.join(here, file), source);
}

describe('generated files match proto/', () => {
  it.each(expected)('%s', (file, source) => {
    expect(readFileSync(path.join(here, file), 'utf8')).toBe(source);
  });
});

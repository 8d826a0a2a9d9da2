/**
 * proto-sources.ts embeds the text of proto/ so the schema loads without reading files
 * at run time (nothing to copy into dist/ or the image). generated.test.ts fails when
 * the embedded copy differs from the .proto files.
 */

/** The .proto files, in import order, relative to proto/. */
export const PROTO_FILES: readonly string[] = [
  'mesos/v1/mesos.proto',
  'mesos/v1/scheduler/scheduler.proto',
  'mesos/v1/executor/executor.proto',
  'mesos/v1/quota/quota.proto',
  'mesos/v1/maintenance/maintenance.proto',
  'mesos/v1/master/master.proto',
];

/** The source of proto-sources.ts for these texts (file name → .proto text). */
export function renderProtoSources(sources: ReadonlyMap<string, string>): string {
  const entries = [...sources].map(([file, text]) => `  '${file}': \`${escapeTemplate(text)}\`,`);
  return [
    '// Generated from proto/ by gen-sources.ts: do not edit. To regenerate, run the unit tests',
    '// of src/scheduler/mesos/generated.test.ts with KMESOS_WRITE_MESOS_GENERATED=1.',
    '',
    'export const PROTO_SOURCES: Readonly<Record<string, string>> = {',
    ...entries,
    '};',
    '',
  ].join('\n');
}

function escapeTemplate(text: string): string {
  return text.replace(/[\\`]/g, (char) => `\\${char}`).replace(/\$\{/g, '\\${');
}

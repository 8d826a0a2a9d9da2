/**
 * Writes crds/*.yaml from the schemas in src/api/schema (the single source of truth): one file per
 * CRD and one for the admission policy that goes with them.
 * Usage: npm run gen:crds [-- <output dir>]  (default: crds/ under the current directory).
 * src/api/crds.test.ts fails when the committed files differ from what this writes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ADMISSION_FILE, quantityPolicy } from '../src/api/schema/admission.js';
import { CRDS } from '../src/api/schema/crds.js';
import { renderCrd, renderManifests } from '../src/api/schema/render.js';

function main(outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  for (const { file, crd } of CRDS) {
    const path = join(outDir, file);
    writeFileSync(path, renderCrd(crd));
    console.log(`wrote ${path}`);
  }
  const path = join(outDir, ADMISSION_FILE);
  writeFileSync(path, renderManifests(quantityPolicy(CRDS.map((c) => c.crd))));
  console.log(`wrote ${path}`);
}

main(resolve(process.argv[2] ?? 'crds'));

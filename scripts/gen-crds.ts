/**
 * Writes crds/*.yaml from the schemas in src/api/schema (the single source of truth).
 * Usage: npm run gen:crds [-- <output dir>]  (default: crds/ under the current directory).
 * src/api/crds.test.ts fails when the committed files differ from what this writes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CRDS } from '../src/api/schema/crds.js';
import { renderCrd } from '../src/api/schema/render.js';

function main(outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  for (const { file, crd } of CRDS) {
    const path = join(outDir, file);
    writeFileSync(path, renderCrd(crd));
    console.log(`wrote ${path}`);
  }
}

main(resolve(process.argv[2] ?? 'crds'));

/**
 * Bundles the operator (dist/src/main.js and the libraries it imports) into one file,
 * dist/bin/kmesos.mjs, with a source map. This is what runs: the image, `scripts/run.sh`, the
 * tests and the benchmarks all start it. Only the code kmesos reaches is kept, so the process
 * parses, compiles and holds in memory a fraction of client-node's generated API (every
 * group's clients and models) that plain module loading brings in. Run by `npm run build`,
 * after tsc.
 */
import { build } from 'esbuild';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const out = join(root, 'dist/bin/kmesos.mjs');

await build({
  entryPoints: [join(root, 'dist/src/main.js')],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  // Positions only: stack traces map back to the TypeScript without the map carrying its text.
  sourcemap: true,
  sourcesContent: false,
  // Whitespace and syntax only: names stay as written, for stack traces and profiles.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  // Some dependencies are CommonJS that call require() on Node's modules.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
console.log(`dist/bin/kmesos.mjs\t${(await stat(out)).size} B`);

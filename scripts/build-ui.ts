/**
 * Bundles the web UI (web/) into dist/ui: index.html, app.js (Preact and the page, minified)
 * and app.css, with nothing loaded from elsewhere at run time. Prints each file's size and
 * its gzip size (what the operator sends). Run by `npm run build`.
 */
import { build } from 'esbuild';
import { copyFile, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = resolve(import.meta.dirname, '../..');
const out = join(root, 'dist/ui');

async function main(): Promise<void> {
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  await build({
    entryPoints: { app: join(root, 'web/src/main.tsx') },
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome110', 'firefox115', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: out,
    legalComments: 'none',
    logLevel: 'warning',
  });
  await build({
    entryPoints: { app: join(root, 'web/src/style.css') },
    bundle: true,
    minify: true,
    outdir: out,
    logLevel: 'warning',
  });
  await copyFile(join(root, 'web/index.html'), join(out, 'index.html'));
  let raw = 0;
  let gzip = 0;
  for (const name of (await readdir(out)).sort()) {
    const body = await readFile(join(out, name));
    const z = gzipSync(body, { level: 9 }).length;
    raw += body.length;
    gzip += z;
    console.log(`dist/ui/${name}\t${body.length} B\tgzip ${z} B`);
  }
  console.log(`web UI total\t${raw} B\tgzip ${gzip} B (${(gzip / 1024).toFixed(1)} KiB)`);
}

await main();

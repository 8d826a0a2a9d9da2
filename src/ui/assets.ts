/**
 * The web UI's files (index.html and the bundle `npm run build` writes to dist/ui), read once
 * at start and kept in memory with a gzip copy of each: they are a few tens of KiB.
 */
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface UiAsset {
  readonly type: string;
  readonly body: Buffer;
  readonly gzip: Buffer;
}

/** File name → asset. */
export type UiAssets = ReadonlyMap<string, UiAsset>;

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Builds assets from file contents (the loader's pure half). */
export function makeAssets(files: Iterable<readonly [string, Buffer]>): UiAssets {
  const out = new Map<string, UiAsset>();
  for (const [name, body] of files) {
    const type = TYPES[extname(name)];
    if (type) out.set(name, { type, body, gzip: gzipSync(body, { level: 9 }) });
  }
  return out;
}

/** The files in `dir`, or undefined when it does not exist (the UI was not built). */
export async function loadUiAssets(dir: string): Promise<UiAssets | undefined> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const files = await Promise.all(names.map(async (n) => [n, await readFile(join(dir, n))] as const));
  return makeAssets(files);
}

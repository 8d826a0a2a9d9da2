/** Reads a benchmark's `--name value` flags; the last occurrence wins, so `npm run bench:x -- --runs 1` overrides a script's defaults. */
export interface Flags {
  get: (name: string) => string | undefined;
  num: (name: string, dflt: number) => number;
  /** A comma- or space-separated list. */
  list: (value: string | undefined) => string[];
}

export function flags(argv: readonly string[]): Flags {
  const get = (name: string): string | undefined => {
    const i = argv.lastIndexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    get,
    num: (name, dflt) => Number(get(name) ?? dflt),
    list: (v) => (v ?? '').split(/[,\s]+/).filter((s) => s !== ''),
  };
}

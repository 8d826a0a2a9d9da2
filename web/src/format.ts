/** Figures in kmesos units (cpu millicores, bytes, counts) as people read them. */
import type { Figures } from '../../src/ui/wire.js';

const BYTES = new Set(['memory', 'ephemeral-storage', 'storage']);
const GI = 2 ** 30;
const MI = 2 ** 20;

/** `n` with at most `digits` decimals, without trailing zeros: 1.50 → 1.5, 2.00 → 2. */
function trim(n: number, digits: number): string {
  const fixed = n.toFixed(digits);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

export function formatFigure(resource: string, value: number): string {
  if (resource === 'cpu') return trim(value / 1000, 2);
  if (BYTES.has(resource)) return value >= GI ? `${trim(value / GI, 1)} GiB` : `${trim(value / MI, 0)} MiB`;
  return String(value);
}

export function formatFigures(f: Figures): string {
  const names = Object.keys(f).filter((k) => f[k] !== 0);
  if (names.length === 0) return '—';
  return orderResources(names)
    .map((k) => `${k === 'cpu' ? 'cpu' : k === 'memory' ? 'mem' : k} ${formatFigure(k, f[k] ?? 0)}`)
    .join(', ');
}

/** cpu and memory first, then the others by name. */
export function orderResources(names: Iterable<string>): string[] {
  const rank = (n: string): number => (n === 'cpu' ? 0 : n === 'memory' ? 1 : 2);
  return [...new Set(names)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export function percent(part: number, whole: number): number {
  return whole > 0 ? Math.min(100, Math.max(0, (100 * part) / whole)) : 0;
}

export function formatShare(share: number | undefined): string {
  return share === undefined ? '—' : share.toFixed(4);
}

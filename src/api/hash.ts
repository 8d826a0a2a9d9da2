import { createHash } from 'node:crypto';

/** A short, stable, DNS-safe digest (lowercase hex) for names that had to be shortened. */
export function shortHash(text: string, length = 8): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

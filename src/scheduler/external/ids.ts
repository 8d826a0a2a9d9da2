import type { Random } from '../../util/random.js';

/** 16 bytes from the injected randomness, version-4 shaped: status update uuids. */
export function uuidBytes(random: Random): Uint8Array {
  const b = new Uint8Array(16);
  for (let i = 0; i < 16; i++) b[i] = Math.floor(random() * 256);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  return b;
}

/** The same as text (8-4-4-4-12): stream IDs and framework IDs. */
export function uuidText(random: Random): string {
  const hex = Buffer.from(uuidBytes(random)).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

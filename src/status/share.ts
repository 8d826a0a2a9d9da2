/** Shares as status strings: four decimals, so that noise below 0.01% writes nothing. */
export function formatShare(share: number): string {
  if (!Number.isFinite(share) || share < 0) return '0.0000';
  return share.toFixed(4);
}

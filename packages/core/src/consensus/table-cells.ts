/** A table cell (y yes, n no) and its share of a point that falls between cells. */
export type CellShare = [y: number, n: number, weight: number];

/**
 * Where effective (fractional) counts fall in a triangular table with y + n ≤ size: the corners of
 * the grid triangle around the point, with barycentric weights (summing to 1). Lookups interpolate with
 * them and the table builder spreads counts with them, so a weak annotator's dissent moves the answer a
 * little instead of being rounded away. Counts past the table are first scaled back onto its edge: the
 * share of yes is what matters there. Linear interpolation inside a triangle keeps a monotone table monotone.
 */
export function cellShares(yes: number, no: number, size: number): CellShare[] {
  const total = yes + no;
  const scale = total > size ? size / total : 1;
  const y = yes * scale;
  const n = no * scale;
  const y0 = Math.min(size, Math.floor(y));
  const n0 = Math.min(size - y0, Math.floor(n));
  const fy = y - y0;
  const fn = n - n0;
  if (fy + fn <= 1e-9) return [[y0, n0, 1]];
  if (fy + fn <= 1 || y0 + n0 + 2 > size) {
    // Lower triangle (y0, n0), (y0 + 1, n0), (y0, n0 + 1); the second test only catches rounding at the edge.
    return normalise([
      [y0, n0, Math.max(0, 1 - fy - fn)],
      [y0 + 1, n0, fy],
      [y0, n0 + 1, fn],
    ]);
  }
  // Upper triangle (y0 + 1, n0), (y0, n0 + 1), (y0 + 1, n0 + 1).
  return normalise([
    [y0 + 1, n0, 1 - fn],
    [y0, n0 + 1, 1 - fy],
    [y0 + 1, n0 + 1, fy + fn - 1],
  ]);
}

function normalise(shares: CellShare[]): CellShare[] {
  const kept = shares.filter((share) => share[2] > 0);
  const total = kept.reduce((sum, share) => sum + share[2], 0);
  return kept.map(([y, n, w]) => [y, n, w / total]);
}

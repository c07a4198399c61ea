/**
 * Makes a triangular table p[y][n] non-decreasing in y and non-increasing in n, so one more yes vote can
 * never make an image look less positive (nor one more no vote more positive), whatever sampling noise
 * says. Takes the mean of the tightest monotone upper envelope (max over cells with fewer yes and more no)
 * and lower envelope (min over cells with more yes and fewer no): both are monotone, hence so is their mean,
 * and a table that was already in order comes back unchanged.
 */
export function enforceMonotone(p: readonly (readonly number[])[]): number[][] {
  const at = (y: number, n: number): number => (p[y] as number[])[n] as number;
  return p.map((row, y) =>
    row.map((_, n) => {
      let upper = -Infinity;
      let lower = Infinity;
      for (let y2 = 0; y2 < p.length; y2++) {
        const width = (p[y2] as number[]).length;
        for (let n2 = 0; n2 < width; n2++) {
          if (y2 <= y && n2 >= n) upper = Math.max(upper, at(y2, n2));
          if (y2 >= y && n2 <= n) lower = Math.min(lower, at(y2, n2));
        }
      }
      return (upper + lower) / 2;
    }),
  );
}

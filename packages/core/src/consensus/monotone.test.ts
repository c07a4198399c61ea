import { describe, expect, it } from "vitest";
import { enforceMonotone } from "./monotone.ts";
import { mulberry32 } from "./random.ts";

const triangle = (size: number, f: (y: number, n: number) => number): number[][] =>
  Array.from({ length: size + 1 }, (_, y) => Array.from({ length: size - y + 1 }, (_, n) => f(y, n)));

function isMonotone(p: number[][]): boolean {
  for (let y = 0; y < p.length; y++) {
    const row = p[y] as number[];
    for (let n = 0; n < row.length; n++) {
      const here = row[n] as number;
      if (n + 1 < row.length && (row[n + 1] as number) > here) return false;
      const up = p[y + 1]?.[n];
      if (up !== undefined && up < here) return false;
    }
  }
  return true;
}

describe("enforceMonotone", () => {
  it("leaves an ordered table alone", () => {
    const p = triangle(6, (y, n) => 1 / (1 + Math.exp(n - y)));
    expect(enforceMonotone(p)).toEqual(p);
  });

  it("orders noisy tables: more yes never lowers P, more no never raises it", () => {
    const rng = mulberry32(9);
    for (let t = 0; t < 20; t++) {
      const noisy = triangle(8, (y, n) => Math.min(1, Math.max(0, 1 / (1 + Math.exp(n - y)) + (rng() - 0.5) * 0.4)));
      const fixed = enforceMonotone(noisy);
      expect(isMonotone(noisy)).toBe(false);
      expect(isMonotone(fixed)).toBe(true);
    }
  });

  it("fixes a single violation by meeting in the middle", () => {
    const p = [[0.5, 0.2], [0.1]]; // one yes made it *less* likely: 0.1 < 0.5
    const fixed = enforceMonotone(p);
    expect(isMonotone(fixed)).toBe(true);
    expect(fixed[1]?.[0]).toBeCloseTo(0.3, 12);
  });
});

import { describe, expect, it } from "vitest";
import { mulberry32 } from "./random.ts";
import { cellShares } from "./table-cells.ts";

describe("cellShares", () => {
  it("puts whole counts in one cell", () => {
    expect(cellShares(3, 2, 10)).toEqual([[3, 2, 1]]);
  });

  it("splits fractional counts over a grid triangle, reproducing the point", () => {
    const rng = mulberry32(5);
    for (let t = 0; t < 500; t++) {
      const yes = rng() * 12;
      const no = rng() * 12;
      const size = 10;
      const shares = cellShares(yes, no, size);
      const scale = yes + no > size ? size / (yes + no) : 1;
      expect(shares.reduce((s, [, , w]) => s + w, 0)).toBeCloseTo(1, 12);
      expect(shares.reduce((s, [y, , w]) => s + y * w, 0)).toBeCloseTo(yes * scale, 9);
      expect(shares.reduce((s, [, n, w]) => s + n * w, 0)).toBeCloseTo(no * scale, 9);
      for (const [y, n, w] of shares) {
        expect(y + n).toBeLessThanOrEqual(size);
        expect(w).toBeGreaterThan(0);
      }
    }
  });

  it("scales counts past the table onto its edge, keeping the share of yes", () => {
    expect(cellShares(15, 5, 10)).toEqual([
      [8, 2, 0.5],
      [7, 3, 0.5],
    ]);
    expect(cellShares(30, 0, 10)).toEqual([[10, 0, 1]]);
  });
});

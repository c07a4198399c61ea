import { describe, expect, it } from "vitest";
import { orderingPriority, uncertainty } from "./ordering.ts";

describe("uncertainty", () => {
  it("computes the three measures by hand", () => {
    expect(uncertainty(0.8, "least-confidence")).toBeCloseTo(0.2, 12);
    expect(uncertainty(0.8, "margin")).toBeCloseTo(0.4, 12); // 1 − (0.8 − 0.2)
    // −0.8 log₂ 0.8 − 0.2 log₂ 0.2 = 0.7219…
    expect(uncertainty(0.8, "entropy")).toBeCloseTo(0.721928, 6);
    expect(uncertainty(0.5, "least-confidence")).toBe(0.5);
    expect(uncertainty(0.5, "margin")).toBe(1);
    expect(uncertainty(0.5, "entropy")).toBe(1);
    for (const measure of ["least-confidence", "margin", "entropy"] as const) {
      expect(uncertainty(0, measure)).toBe(0);
      expect(uncertainty(1, measure)).toBe(0);
      expect(uncertainty(0.3, measure)).toBeCloseTo(uncertainty(0.7, measure), 12); // symmetric
    }
  });

  it("orders the same way under every measure", () => {
    const ps = [0.02, 0.5, 0.97, 0.3, 0.61, 0.9];
    const order = (measure: "least-confidence" | "margin" | "entropy") =>
      [...ps].sort((a, b) => uncertainty(b, measure) - uncertainty(a, measure));
    expect(order("least-confidence")).toEqual([0.5, 0.61, 0.3, 0.9, 0.97, 0.02]);
    expect(order("margin")).toEqual(order("least-confidence"));
    expect(order("entropy")).toEqual(order("least-confidence"));
  });

  it("refuses p outside [0, 1]", () => {
    expect(() => uncertainty(1.5, "entropy")).toThrow(RangeError);
    expect(() => uncertainty(Number.NaN, "margin")).toThrow(RangeError);
  });
});

describe("orderingPriority", () => {
  it("puts the most uncertain, or the most likely positive, first (lowest key)", () => {
    expect(orderingPriority("uncertain", 0.5, 0.3)).toBe(-0.5);
    expect(orderingPriority("uncertain", 0.9, 0.3)).toBeCloseTo(-0.1, 12);
    expect(orderingPriority("uncertain", 0.8, 0, "entropy")).toBeCloseTo(-0.721928, 6);
    expect(orderingPriority("likely_positive", 0.9, 0.3)).toBe(-0.9);
    expect(orderingPriority("likely_positive", 0.9, 0.3)).toBeLessThan(orderingPriority("likely_positive", 0.2, 0));
  });

  it("uses the random number for random ordering and for items without a prior, after those with one", () => {
    expect(orderingPriority("random", 0.9, 0.42)).toBe(0.42);
    expect(orderingPriority("uncertain", null, 0.42)).toBe(0.42);
    expect(orderingPriority("likely_positive", null, 0)).toBeGreaterThan(orderingPriority("likely_positive", 0.001, 0));
  });

  it("refuses a random number outside [0, 1) and a prior outside [0, 1]", () => {
    expect(() => orderingPriority("random", null, 1)).toThrow(RangeError);
    expect(() => orderingPriority("uncertain", 2, 0.5)).toThrow(RangeError);
  });
});

import { describe, expect, it } from "vitest";
import { calibrationError, MAX_RADIUS, MIN_RADIUS, type ReliabilityBin, reliabilityPoints } from "./reliability";

const bin = (lo: number, count: number, meanPredicted: number, observed: number): ReliabilityBin => ({
  lo,
  hi: lo + 0.1,
  count,
  meanPredicted,
  observed,
});

describe("reliabilityPoints", () => {
  it("places a bin at (mean prior, share verified) with y up", () => {
    const [point] = reliabilityPoints([bin(0.2, 10, 0.25, 0.75)], 200, { x: 40, y: 10 });
    expect(point?.cx).toBeCloseTo(40 + 0.25 * 200);
    expect(point?.cy).toBeCloseTo(10 + 0.25 * 200);
  });

  it("skips empty bins: they have no observed share", () => {
    const points = reliabilityPoints([bin(0, 0, 0, 0), bin(0.5, 3, 0.55, 0.6)], 100);
    expect(points.map((p) => p.bin.lo)).toEqual([0.5]);
  });

  it("makes a point's area proportional to its count (radius ∝ √count), the fullest bin the largest", () => {
    const [small, large] = reliabilityPoints([bin(0.1, 100, 0.1, 0.1), bin(0.9, 400, 0.9, 0.9)], 100);
    expect(large?.r).toBe(MAX_RADIUS);
    expect(small?.r).toBeCloseTo(MAX_RADIUS / 2);
    const [tiny] = reliabilityPoints([bin(0.1, 1, 0.1, 0.1), bin(0.9, 100_000, 0.9, 0.9)], 100);
    expect(tiny?.r).toBe(MIN_RADIUS);
  });

  it("keeps points inside the square", () => {
    const [point] = reliabilityPoints([bin(0.9, 1, 1.2, -0.1)], 100);
    expect(point).toMatchObject({ cx: 100, cy: 100 });
  });
});

describe("calibrationError", () => {
  it("is the count-weighted mean gap to the diagonal", () => {
    // (10 × 0.1 + 30 × 0) / 40 = 0.025
    expect(calibrationError([bin(0, 10, 0.2, 0.1), bin(0.5, 30, 0.5, 0.5)])).toBeCloseTo(0.025);
    expect(calibrationError([bin(0, 5, 0.3, 0.3)])).toBe(0);
  });

  it("is null without images", () => {
    expect(calibrationError([])).toBeNull();
    expect(calibrationError([bin(0, 0, 0, 0)])).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { mulberry32 } from "../consensus/random.ts";
import {
  CALIBRATED_MAX,
  CALIBRATED_MIN,
  type Calibrator,
  calibrate,
  fitCalibrator,
  fitIsotonic,
  fitPlatt,
  reliabilityCurve,
} from "./calibration.ts";

const bools = (pattern: string): boolean[] => [...pattern].map((c) => c === "1");

describe("fitIsotonic", () => {
  it("pools adjacent violators on a known sequence", () => {
    // y = 0 1 0 0 1 1 0 1 at scores 1…8. By hand: 1,0 → ½; then 0 → ⅓ over {2,3,4}; 1,1,0 → ⅔ over {5,6,7}.
    const c = fitIsotonic([1, 2, 3, 4, 5, 6, 7, 8], bools("01001101"));
    expect(c).toEqual({ kind: "isotonic", xs: [1, 3, 6, 8], ys: [0, 1 / 3, 2 / 3, 1] });
  });

  it("sorts by score and gives tied scores one block", () => {
    const c = fitIsotonic([3, 1, 2, 2], bools("1001"));
    // Sorted: 1 → 0, then the tie at 2 (0 and 1 → ½), then 3 → 1.
    expect(c).toEqual({ kind: "isotonic", xs: [1, 2, 3], ys: [0, 0.5, 1] });
    // A tie whose later member breaks the order is merged with what comes before it.
    expect(fitIsotonic([1, 2, 2], bools("101"))).toEqual({ kind: "isotonic", xs: [5 / 3], ys: [2 / 3] });
  });

  it("refuses mismatched, empty or non-finite input", () => {
    expect(() => fitIsotonic([1, 2], bools("1"))).toThrow(RangeError);
    expect(() => fitIsotonic([], [])).toThrow(/no labelled points/);
    expect(() => fitIsotonic([Number.NaN], bools("1"))).toThrow(/finite/);
  });
});

describe("calibrate", () => {
  const iso: Calibrator = { kind: "isotonic", xs: [1, 3, 6, 8], ys: [0, 1 / 3, 2 / 3, 1] };

  it("interpolates linearly between block means and is flat (and clamped) beyond them", () => {
    expect(calibrate(iso, 2)).toBeCloseTo(1 / 6, 12); // halfway between (1, 0) and (3, ⅓)
    expect(calibrate(iso, 7)).toBeCloseTo(5 / 6, 12);
    expect(calibrate(iso, 3)).toBeCloseTo(1 / 3, 12);
    expect(calibrate(iso, -5)).toBe(CALIBRATED_MIN);
    expect(calibrate(iso, 100)).toBe(CALIBRATED_MAX);
  });

  it("is monotone non-decreasing in the score", () => {
    const rng = mulberry32(5);
    const scores = Array.from({ length: 400 }, () => rng());
    const c = fitIsotonic(
      scores,
      scores.map((s) => rng() < s),
    );
    let previous = 0;
    for (let s = -0.1; s <= 1.1; s += 0.001) {
      const p = calibrate(c, s);
      expect(p).toBeGreaterThanOrEqual(previous);
      previous = p;
    }
  });

  it("reads Platt as σ(a·s + b)", () => {
    expect(calibrate({ kind: "platt", a: 2, b: -1 }, 0.5)).toBe(0.5);
    expect(calibrate({ kind: "platt", a: 1, b: 0 }, Math.log(3))).toBeCloseTo(0.75, 12);
    expect(calibrate({ kind: "platt", a: 100, b: 0 }, 1)).toBe(CALIBRATED_MAX);
  });

  it("refuses a non-finite score and a broken isotonic calibrator", () => {
    expect(() => calibrate(iso, Number.NaN)).toThrow(RangeError);
    expect(() => calibrate({ kind: "isotonic", xs: [], ys: [] }, 0.5)).toThrow(RangeError);
  });
});

describe("fitPlatt", () => {
  it("fits two points exactly to Platt's targets", () => {
    // One positive at 1, one negative at 0: targets (1+1)/(1+2) = ⅔ and 1/(1+2) = ⅓, which σ(a·s + b)
    // meets exactly with b = −ln 2, a = 2 ln 2.
    const c = fitPlatt([0, 1], bools("01"));
    if (c.kind !== "platt") throw new Error("expected platt");
    expect(c.a).toBeCloseTo(2 * Math.log(2), 8);
    expect(c.b).toBeCloseTo(-Math.log(2), 8);
  });

  it("gives a one-class seed a finite constant, not certainty", () => {
    // Three positives: target 4/5 for each, so a = 0 and σ(b) = 4/5, b = ln 4.
    const c = fitPlatt([0.2, 0.5, 0.9], bools("111"));
    if (c.kind !== "platt") throw new Error("expected platt");
    expect(c.a).toBeCloseTo(0, 8);
    expect(c.b).toBeCloseTo(Math.log(4), 8);
  });

  it("stays finite on separable data", () => {
    const c = fitPlatt([0.1, 0.2, 0.8, 0.9], bools("0011"));
    if (c.kind !== "platt") throw new Error("expected platt");
    // Labels 0 0 1 1 would send a to infinity; the targets ¼ and ¾ keep the fit near them (0.775 at 0.9).
    expect(c.a).toBeGreaterThan(0);
    expect(c.a).toBeLessThan(5);
    expect(calibrate(c, 0.9)).toBeGreaterThan(0.75);
    expect(calibrate(c, 0.9)).toBeLessThan(0.8);
    expect(calibrate(c, 0.1)).toBeCloseTo(1 - calibrate(c, 0.9), 9); // symmetric data, symmetric fit
  });

  it("recovers a known logistic", () => {
    // 20 000 labels drawn from σ(6s − 3): the standard error of a is about 0.1, so 0.4 is a 4σ tolerance.
    const rng = mulberry32(2024);
    const scores = Array.from({ length: 20_000 }, () => rng());
    const labels = scores.map((s) => rng() < 1 / (1 + Math.exp(-(6 * s - 3))));
    const c = fitPlatt(scores, labels);
    if (c.kind !== "platt") throw new Error("expected platt");
    expect(Math.abs(c.a - 6)).toBeLessThan(0.4);
    expect(Math.abs(c.b + 3)).toBeLessThan(0.25);
  });
});

describe("fitCalibrator", () => {
  it("uses Platt below 100 points and isotonic from 100", () => {
    const scores = Array.from({ length: 100 }, (_, i) => i / 100);
    const labels = scores.map((s) => s > 0.5);
    expect(fitCalibrator(scores.slice(0, 99), labels.slice(0, 99)).kind).toBe("platt");
    expect(fitCalibrator(scores, labels).kind).toBe("isotonic");
  });
});

describe("reliabilityCurve", () => {
  it("bins by calibrated probability and leaves empty bins out", () => {
    const c: Calibrator = { kind: "platt", a: 0, b: 0 }; // everything 0.5
    expect(reliabilityCurve([1, 2, 3, 4], bools("1101"), c, 4)).toEqual([
      { lo: 0.5, hi: 0.75, count: 4, meanPredicted: 0.5, observed: 0.75 },
    ]);
    const iso: Calibrator = { kind: "isotonic", xs: [0, 1], ys: [0, 1] };
    const curve = reliabilityCurve([0.05, 0.15, 0.95, 1], bools("0011"), iso, 10);
    expect(curve.map((b) => [b.lo, b.count, b.observed])).toEqual([
      [0, 1, 0],
      [0.1, 1, 0],
      [0.9, 2, 1], // 0.95 and 1 (clamped to 0.999) share the last bin
    ]);
    expect(curve[2]?.meanPredicted).toBeCloseTo((0.95 + 0.999) / 2, 12);
  });

  it("refuses bad bins and mismatched input", () => {
    const c: Calibrator = { kind: "platt", a: 1, b: 0 };
    expect(() => reliabilityCurve([1], bools("1"), c, 0)).toThrow(RangeError);
    expect(() => reliabilityCurve([1, 2], bools("1"), c)).toThrow(RangeError);
  });
});

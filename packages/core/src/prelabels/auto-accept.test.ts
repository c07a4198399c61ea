import { describe, expect, it } from "vitest";
import { auditVerdict, chooseAutoAcceptThreshold, wilsonLowerBound, wilsonUpperBound } from "./auto-accept.ts";

const points = (count: number, prior: number, positives: number) =>
  Array.from({ length: count }, (_, i) => ({ prior, positive: i < positives }));

describe("Wilson bounds", () => {
  it("match hand values", () => {
    // 95/100: (0.95 + 0.019208 − 1.96·√(0.000475 + 0.00009604)) / 1.038416 = 0.88825…
    expect(wilsonLowerBound(95, 100)).toBeCloseTo(0.88825, 4);
    expect(wilsonUpperBound(95, 100)).toBeCloseTo(0.97844, 4);
    // n of n: lower bound n / (n + z²); 0 of n: upper bound z² / (n + z²).
    expect(wilsonLowerBound(400, 400)).toBeCloseTo(400 / (400 + 1.96 ** 2), 12);
    expect(wilsonUpperBound(0, 2)).toBeCloseTo(1.96 ** 2 / (2 + 1.96 ** 2), 12);
    expect(wilsonLowerBound(0, 10)).toBe(0);
    expect(wilsonUpperBound(10, 10)).toBe(1);
  });

  it("is the whole interval with no trials, and narrows with z", () => {
    expect([wilsonLowerBound(0, 0), wilsonUpperBound(0, 0)]).toEqual([0, 1]);
    expect(wilsonLowerBound(95, 100, 2.576)).toBeLessThan(wilsonLowerBound(95, 100));
  });

  it("refuses counts that are not counts", () => {
    expect(() => wilsonLowerBound(5, 4)).toThrow(RangeError);
    expect(() => wilsonLowerBound(-1, 4)).toThrow(RangeError);
    expect(() => wilsonUpperBound(1.5, 4)).toThrow(RangeError);
    expect(() => wilsonLowerBound(1, 4, 0)).toThrow(/z/);
  });
});

describe("chooseAutoAcceptThreshold", () => {
  // 400 verified at prior 0.95, then 100 at 0.6 (half verified), then 100 rejected at 0.1.
  const seed = [...points(400, 0.95, 400), ...points(100, 0.6, 50), ...points(100, 0.1, 0)];

  it("picks the lowest threshold whose 95 % lower bound meets the target", () => {
    // ≥ 0.95: 400/400, bound 400/403.84 = 0.99049 ≥ 0.99; ≥ 0.6: 450/500 = 0.9, far below.
    const at99 = chooseAutoAcceptThreshold(seed, 0.99);
    expect(at99).toMatchObject({ threshold: 0.95, precision: 1, covered: 400 });
    expect(at99.lowerBound).toBeCloseTo(0.99049, 5);
    // At 0.85, ≥ 0.6 qualifies (0.9 with bound 0.8706), ≥ 0.1 does not (450/600 = 0.75).
    const at85 = chooseAutoAcceptThreshold(seed, 0.85);
    expect(at85).toMatchObject({ threshold: 0.6, precision: 0.9, covered: 500 });
    expect(at85.lowerBound).toBeCloseTo(0.87058, 4);
  });

  it("keeps looking below a threshold that fails", () => {
    // ≥ 0.95: 50/50 (bound 0.929, passes 0.9); ≥ 0.9 adds 10 rejected: 50/60 fails; ≥ 0.8 adds 300
    // verified: 350/360, bound ≈ 0.950, passes again, and is the lowest.
    const mixed = [...points(50, 0.95, 50), ...points(10, 0.9, 0), ...points(300, 0.8, 300)];
    expect(chooseAutoAcceptThreshold(mixed, 0.9)).toMatchObject({ threshold: 0.8, covered: 360 });
  });

  it("takes all points of a prior or none", () => {
    // 390 verified and 1 rejected all at 0.97: the threshold cannot split them; 390/391 has bound 0.9856.
    const tied = [...points(391, 0.97, 390), ...points(100, 0.2, 0)];
    const result = chooseAutoAcceptThreshold(tied, 0.99);
    expect(result.threshold).toBeNull();
    expect(result.reason).toMatch(/best 95 % lower bound of precision is 0\.985/);
  });

  it("returns null with a reason under 200 points or when none qualifies", () => {
    const few = chooseAutoAcceptThreshold(points(199, 0.99, 199), 0.9);
    expect(few).toEqual({
      threshold: null,
      precision: null,
      lowerBound: null,
      covered: 0,
      reason: "199 human-decided items; auto-accept needs at least 200",
    });
    expect(chooseAutoAcceptThreshold(points(200, 0.99, 200), 0.9).threshold).toBe(0.99);
    // 300 of 300 verified still only reach 300 / 303.84 = 0.987 < 0.99: 381 are needed.
    const short = chooseAutoAcceptThreshold(points(300, 0.99, 300), 0.99);
    expect(short.threshold).toBeNull();
    expect(short.reason).toMatch(/no threshold meets the target 0\.99/);
    expect(chooseAutoAcceptThreshold(points(381, 0.99, 381), 0.99).threshold).toBe(0.99);
  });

  it("refuses a bad target, minPoints or prior", () => {
    expect(() => chooseAutoAcceptThreshold(seed, 1)).toThrow(RangeError);
    expect(() => chooseAutoAcceptThreshold(seed, 0.9, 0)).toThrow(RangeError);
    expect(() => chooseAutoAcceptThreshold([{ prior: 1.5, positive: true }], 0.9, 1)).toThrow(/priors/);
  });
});

describe("auditVerdict", () => {
  it("stays on with no audits yet", () => {
    expect(auditVerdict({ yes: 0, total: 0 }, 0.99)).toEqual({ keepOn: true, precision: null, reason: null });
  });

  it("switches off when the audit shows precision clearly below target", () => {
    // 90/100: upper bound 0.945 < 0.99.
    const off = auditVerdict({ yes: 90, total: 100 }, 0.99);
    expect(off).toMatchObject({ keepOn: false, precision: 0.9 });
    expect(off.reason).toMatch(/90 of 100.*upper bound 0\.94\d\d is below the target 0\.99/);
    // Both of two audits wrong: upper bound 0.658; a ≥ 99 % model does that with probability ≤ 1e-4.
    expect(auditVerdict({ yes: 0, total: 2 }, 0.99).keepOn).toBe(false);
  });

  it("does not switch off on too few audits to tell, or on precision at target", () => {
    // 4 of 5 at a 0.9 target: observed 0.8, but the upper bound 0.964 ≥ 0.9.
    expect(auditVerdict({ yes: 4, total: 5 }, 0.9)).toEqual({ keepOn: true, precision: 0.8, reason: null });
    // 2 mistakes in 200 at 0.99: observed exactly the target, upper bound 0.997.
    expect(auditVerdict({ yes: 198, total: 200 }, 0.99).keepOn).toBe(true);
    // One mistake in 20 at 0.99: upper bound 0.9911, still on; in 15: 0.988, off.
    expect(auditVerdict({ yes: 19, total: 20 }, 0.99).keepOn).toBe(true);
    expect(auditVerdict({ yes: 14, total: 15 }, 0.99).keepOn).toBe(false);
  });

  it("refuses bad counts and targets", () => {
    expect(() => auditVerdict({ yes: 3, total: 2 }, 0.99)).toThrow(RangeError);
    expect(() => auditVerdict({ yes: 1, total: 0 }, 0.99)).toThrow(RangeError);
    expect(() => auditVerdict({ yes: 1, total: 2 }, 1.2)).toThrow(RangeError);
  });
});

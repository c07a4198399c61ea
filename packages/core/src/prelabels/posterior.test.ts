import { describe, expect, it } from "vitest";
import { decide } from "../consensus/adaptive-decision.ts";
import type { ConfidenceTable } from "../consensus/confidence-table.ts";
import { DEFAULT_POLICY, type Vote } from "../consensus/types.ts";
import { DEFAULT_MIN_VOTES_WITH_PRIOR, decideWithPrior, posteriorWithPrior } from "./posterior.ts";

/** A hand-made table: P(positive) = σ(slope · (y − n)), base rate ½ (as in adaptive-decision.test.ts). */
function logisticTable(slope: number, positiveRate = 0.5): ConfidenceTable {
  const size = 20;
  const shift = Math.log(positiveRate / (1 - positiveRate));
  const p = Array.from({ length: size + 1 }, (_, y) =>
    Array.from({ length: size - y + 1 }, (_, n) => 1 / (1 + Math.exp(-(shift + slope * (y - n))))),
  );
  return { maxVotes: 10, p, seedImages: 30, positiveRate, unitWeight: 1 };
}

const votes = (pattern: string): Vote[] => [...pattern].map((c, i) => ({ annotatorId: `a${i}`, positive: c === "Y" }));
const policy = DEFAULT_POLICY; // target 0.99, minVotes 2, maxVotes 10

describe("posteriorWithPrior", () => {
  it("gives the table's value when the prior is the base rate", () => {
    for (const [table, base] of [
      [0.9, 0.5],
      [0.37, 0.2],
      [0.999, 0.8],
    ] as const) {
      expect(posteriorWithPrior(table, base, base)).toBeCloseTo(table, 12);
    }
  });

  it("swaps the base rate for the prior in odds", () => {
    // odds 9 × odds 9 / odds 1 = 81 → 81/82.
    expect(posteriorWithPrior(0.9, 0.5, 0.9)).toBeCloseTo(81 / 82, 12);
    // odds 1 × odds 4 / odds ¼ = 16 → 16/17.
    expect(posteriorWithPrior(0.5, 0.2, 0.8)).toBeCloseTo(16 / 17, 12);
    // A prior below the base rate pulls down: odds 9 × (1/9) / 1 = 1.
    expect(posteriorWithPrior(0.9, 0.5, 0.1)).toBeCloseTo(0.5, 12);
  });

  it("is symmetric under swapping the classes", () => {
    for (const [t, b, p] of [
      [0.9, 0.5, 0.7],
      [0.2, 0.3, 0.95],
      [0.6, 0.85, 0.01],
    ] as const) {
      expect(posteriorWithPrior(1 - t, 1 - b, 1 - p)).toBeCloseTo(1 - posteriorWithPrior(t, b, p), 12);
    }
  });

  it("keeps a certain table value and refuses values outside [0, 1]", () => {
    expect(posteriorWithPrior(1, 0.5, 0.01)).toBe(1);
    expect(posteriorWithPrior(0, 0.5, 0.99)).toBe(0);
    expect(() => posteriorWithPrior(1.2, 0.5, 0.5)).toThrow(RangeError);
    expect(() => posteriorWithPrior(0.5, -0.1, 0.5)).toThrow(/basePositiveRate/);
    expect(() => posteriorWithPrior(0.5, 0.5, Number.NaN)).toThrow(/prior/);
  });
});

describe("decideWithPrior", () => {
  const table = logisticTable(1.5); // four net yes votes clear 0.99 from the base rate

  it("is decide() when the prior is the base rate", () => {
    for (const pattern of ["YY", "YYYY", "NNNN", "YNYNYN", "YNYNYNYN", "YYYYN", "YNYNYNYNYN"]) {
      expect(decideWithPrior(votes(pattern), table, policy, 0.5)).toEqual(decide(votes(pattern), table, policy));
    }
    const skewed = logisticTable(1.5, 0.8);
    for (const pattern of ["YY", "YNN", "NNNN"]) {
      expect(decideWithPrior(votes(pattern), skewed, policy, 0.8)).toEqual(decide(votes(pattern), skewed, policy));
    }
  });

  it("needs fewer votes when the model is sure, in the direction it is sure about", () => {
    // YN alone is the base rate (½); a prior of 0.999 makes it 0.999 ≥ 0.99 and 0.001 makes it ≤ 0.01.
    expect(decide(votes("YN"), table, policy).decision).toBe("pending");
    expect(decideWithPrior(votes("YN"), table, policy, 0.999)).toMatchObject({ decision: "verified", votes: 2 });
    expect(decideWithPrior(votes("YN"), table, policy, 0.001).decision).toBe("rejected");
    // With minVotesWithPrior = minVotes the prior never shortens the floor: one yes vote is not enough.
    const strict = { ...policy, minVotesWithPrior: policy.minVotes };
    expect(decideWithPrior(votes("Y"), table, strict, 0.999)).toMatchObject({ decision: "pending", stillNeeded: 1 });
  });

  it("needs more votes when votes disagree with the prior, and says how many", () => {
    // YY: σ(3) ≈ 0.953 from the base rate, two more yes votes reach σ(6) ≥ 0.99 (decide says 2).
    expect(decide(votes("YY"), table, policy)).toMatchObject({ decision: "pending", stillNeeded: 2 });
    // With prior 0.001 (odds 1/999): YY is 0.0197; a third vote "no" (σ(1.5) × 1/999 → 0.0045 ≤ 0.01) decides.
    const sceptic = decideWithPrior(votes("YY"), table, policy, 0.001);
    expect(sceptic).toMatchObject({ decision: "pending", stillNeeded: 1 });
    expect(sceptic.probability).toBeCloseTo(Math.exp(3) / 999 / (1 + Math.exp(3) / 999), 9);
  });

  it("is ambiguous early when even unanimous votes could not decide", () => {
    // 4–4 with two votes left: from the base rate YY reaches σ(3) ≈ 0.95, ambiguous; a 0.9 prior
    // (odds 9) makes it 20.1 × 9 → 0.9945, so keep asking.
    expect(decideWithPrior(votes("YNYNYNYN"), table, policy, 0.5).decision).toBe("ambiguous");
    expect(decideWithPrior(votes("YNYNYNYN"), table, policy, 0.9)).toMatchObject({
      decision: "pending",
      stillNeeded: 2,
    });
    // Nobody left to vote: ambiguous whatever the prior says, unless the votes already decide.
    expect(decideWithPrior(votes("YNYNYNYN"), table, policy, 0.9, undefined, 0).decision).toBe("ambiguous");
  });

  describe("below minVotes (minVotesWithPrior, default 1)", () => {
    it("decides on one vote that agrees with a confident prior", () => {
      expect(DEFAULT_MIN_VOTES_WITH_PRIOR).toBe(1);
      // σ(1.5) = 0.82 from the base rate; odds 999 × e^1.5 → 0.9998 ≥ 0.99, and 0.999 ≥ lookup(1, 0) = 0.82.
      expect(decide(votes("Y"), table, policy).decision).toBe("pending");
      expect(decideWithPrior(votes("Y"), table, policy, 0.999)).toMatchObject({ decision: "verified", votes: 1 });
      expect(decideWithPrior(votes("N"), table, policy, 0.001)).toMatchObject({ decision: "rejected", votes: 1 });
      // Before any vote it says one is needed (decide() says four: σ(1.5 · 4) ≥ 0.99 > σ(1.5 · 3)).
      expect(decide([], table, policy)).toMatchObject({ decision: "pending", stillNeeded: 4 });
      expect(decideWithPrior([], table, policy, 0.999)).toMatchObject({ decision: "pending", stillNeeded: 1 });
      // No vote is never enough, even with minVotes 1 and the surest prior.
      const one = { ...policy, minVotes: 1 };
      expect(decideWithPrior([], table, one, 0.999).decision).toBe("pending");
    });

    it("keeps minVotes for a prior that says no more than the base rate, or less than the missing vote", () => {
      // Base rate 0.9 and strong votes: one yes from the base rate is already σ(2.197 + 4) = 0.998 ≥ 0.99,
      // which is exactly what minVotes is there to stop.
      const skewed = logisticTable(4, 0.9);
      const oneYes = 1 / (1 + Math.exp(-(Math.log(9) + 4)));
      expect(decide(votes("Y"), skewed, policy)).toMatchObject({ decision: "pending", stillNeeded: 1 });
      expect(decideWithPrior(votes("Y"), skewed, policy, 0.9)).toEqual(decide(votes("Y"), skewed, policy));
      expect(decideWithPrior(votes("N"), skewed, policy, 0.9)).toEqual(decide(votes("N"), skewed, policy));
      // Prior 0.95: the posterior (odds 19 · e^4 → 0.999) clears the target, but the prior is less sure than
      // the one yes vote it would replace (0.95 < 0.998), so the second vote is still needed.
      const weak = decideWithPrior(votes("Y"), skewed, policy, 0.95);
      expect(weak.probability).toBeGreaterThan(policy.target);
      expect(weak).toMatchObject({ decision: "pending", stillNeeded: 1 });
      // A prior as sure as that vote stands in for it.
      expect(decideWithPrior(votes("Y"), skewed, policy, (oneYes + 1) / 2).decision).toBe("verified");
    });

    it("never lets the prior overrule the only vote", () => {
      // Weak votes (slope ½): prior 0.999 and one no vote is odds 999 · e^−½ → 0.998 ≥ 0.99, yet that vote
      // said no; so is prior 0.001 against one yes.
      const noisy = logisticTable(0.5);
      const contradicted = decideWithPrior(votes("N"), noisy, policy, 0.999);
      expect(contradicted.probability).toBeGreaterThan(policy.target);
      expect(contradicted.decision).toBe("pending");
      const againstYes = decideWithPrior(votes("Y"), noisy, policy, 0.001);
      expect(againstYes.probability).toBeLessThan(1 - policy.target);
      expect(againstYes.decision).toBe("pending");
      // From minVotes on the rule is decide()'s on the posterior, as before (documented): NN verifies.
      expect(decideWithPrior(votes("NN"), noisy, policy, 0.999).decision).toBe("verified");
    });

    it("refuses a floor outside [1, minVotes]", () => {
      for (const minVotesWithPrior of [0, 3, 1.5, Number.NaN]) {
        expect(() => decideWithPrior(votes("Y"), table, { ...policy, minVotesWithPrior }, 0.9)).toThrow(
          /minVotesWithPrior must be an integer in \[1, minVotes = 2\]/,
        );
      }
    });
  });
});

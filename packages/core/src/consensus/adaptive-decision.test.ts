import { describe, expect, it } from "vitest";
import { decide, decisionFor } from "./adaptive-decision.ts";
import type { ConfidenceTable } from "./confidence-table.ts";
import { type AnnotatorQuality, DEFAULT_POLICY, type Vote } from "./types.ts";

/** A hand-made table: P(positive) = σ(slope · (y − n)). */
function logisticTable(slope: number, unitWeight = 1): ConfidenceTable {
  const size = 20;
  const p = Array.from({ length: size + 1 }, (_, y) =>
    Array.from({ length: size - y + 1 }, (_, n) => 1 / (1 + Math.exp(-slope * (y - n)))),
  );
  return { maxVotes: 10, p, seedImages: 30, positiveRate: 0.5, unitWeight };
}

const votes = (pattern: string, prefix = "a"): Vote[] =>
  [...pattern].map((c, i) => ({ annotatorId: `${prefix}${i}`, positive: c === "Y" }));
const policy = DEFAULT_POLICY; // target 0.99, minVotes 2, maxVotes 10

describe("decide", () => {
  const table = logisticTable(1.5); // four net yes votes clear 0.99

  it("verifies at P ≥ target and rejects at P ≤ 1 − target", () => {
    expect(decide(votes("YYYY"), table, policy)).toMatchObject({ decision: "verified", votes: 4 });
    expect(decide(votes("NNNN"), table, policy).decision).toBe("rejected");
    expect(decide(votes("YYY"), table, policy)).toMatchObject({ decision: "pending", stillNeeded: 1 });
    expect(decide(votes("YYYYN"), table, policy).decision).toBe("pending");
  });

  it("needs minVotes however sure one vote looks", () => {
    const steep = logisticTable(6);
    expect(decide(votes("Y"), steep, policy).decision).toBe("pending");
    expect(decide(votes("YY"), steep, policy).decision).toBe("verified");
    expect(decide(votes("Y"), steep, { ...policy, minVotes: 1 }).decision).toBe("verified");
  });

  it("is ambiguous at maxVotes, or as soon as the remaining votes could not decide", () => {
    expect(decide(votes("YNYNYNYNYN"), table, policy)).toMatchObject({ decision: "ambiguous", votes: 10 });
    // 4–4 with two votes left: even YY only reaches σ(3) ≈ 0.95.
    expect(decide(votes("YNYNYNYN"), table, policy).decision).toBe("ambiguous");
    // 3–3 with four left: YYYY would reach σ(6) ≈ 0.998, so keep asking.
    expect(decide(votes("YNYNYN"), table, policy)).toMatchObject({ decision: "pending", stillNeeded: 4 });
  });

  it("is ambiguous once no annotator is left to vote, or those left could not decide it", () => {
    // 3–3 with four votes left under maxVotes would keep asking (above), but only two annotators remain.
    expect(decide(votes("YNYNYN"), table, policy, undefined, 2).decision).toBe("ambiguous");
    expect(decide(votes("YNYNYN"), table, policy, undefined, 4)).toMatchObject({ decision: "pending", stillNeeded: 4 });
    // Everyone has voted: three yes votes (σ(4.5) ≈ 0.989) are not quite enough, and nobody can add a fourth.
    expect(decide(votes("YYY"), table, policy, undefined, 0).decision).toBe("ambiguous");
    expect(decide(votes("YYY"), table, policy, undefined, 1)).toMatchObject({ decision: "pending", stillNeeded: 1 });
    // A full pool changes nothing, and the verdict of enough votes never depends on who is left.
    expect(decide(votes("YNYNYN"), table, policy, undefined, 50)).toEqual(decide(votes("YNYNYN"), table, policy));
    expect(decide(votes("YYYY"), table, policy, undefined, 0).decision).toBe("verified");
    expect(decide(votes("NNNN"), table, policy, undefined, 0).decision).toBe("rejected");
    // Fewer annotators than minVotes: no verdict is reachable, however sure the votes look.
    expect(decide(votes("Y"), logisticTable(6), policy, undefined, 0).decision).toBe("ambiguous");
  });

  it("ignores blocked annotators", () => {
    const quality = new Map<string, AnnotatorQuality>(
      [0, 1, 2, 3].map((i) => [`b${i}`, { accuracy: 0.8, blocked: true }]),
    );
    expect(decide(votes("YYYY", "b"), table, policy, quality)).toMatchObject({ decision: "pending", votes: 0 });
  });

  it("lets a better annotator's vote count for more", () => {
    const unit = Math.log(4); // the table's average vote: accuracy 0.8
    const weighted = logisticTable(1.5, unit);
    const quality = new Map<string, AnnotatorQuality>([
      ["g0", { accuracy: 0.95 }],
      ["g1", { accuracy: 0.95 }],
      ["m0", { accuracy: 0.8 }],
      ["m1", { accuracy: 0.8 }],
    ]);
    // Two 0.95 votes are ~4.2 average votes' worth (σ(6.4) ≈ 0.998); two 0.8 votes are two (σ(3) ≈ 0.95).
    expect(decide(votes("YY", "g"), weighted, policy, quality).decision).toBe("verified");
    expect(decide(votes("YY", "m"), weighted, policy, quality).decision).toBe("pending");
  });
});

describe("decisionFor", () => {
  it("applies the thresholds to any probability", () => {
    expect(decisionFor(0.995, 2, policy)).toBe("verified");
    expect(decisionFor(0.005, 3, policy)).toBe("rejected");
    expect(decisionFor(0.995, 1, policy)).toBe("pending");
    expect(decisionFor(0.5, 10, policy)).toBe("ambiguous");
    expect(decisionFor(0.99, 2, policy)).toBe("verified");
  });

  it("is ambiguous when nobody is left to vote, and otherwise ignores who is left", () => {
    expect(decisionFor(0.5, 6, policy, 0)).toBe("ambiguous");
    expect(decisionFor(0.5, 6, policy, 1)).toBe("pending");
    expect(decisionFor(0.5, 6, policy)).toBe("pending");
    expect(decisionFor(0.995, 6, policy, 0)).toBe("verified");
    expect(decisionFor(0.005, 6, policy, 0)).toBe("rejected");
  });
});

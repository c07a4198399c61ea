import {
  buildConfidenceTable,
  calibrateDawidSkene,
  DEFAULT_POLICY,
  dawidSkene,
  decide,
  decideWithPrior,
  mulberry32,
  posteriorWithPrior,
  type Vote,
} from "@arbor/core";
import { describe, expect, it } from "vitest";
import { estimateAll } from "./estimators.ts";

const vote = (annotatorId: string, positive: boolean): Vote => ({ annotatorId, positive });

describe("estimateAll", () => {
  // Two careful annotators and one who always says yes, on eight images (odd ids are positive).
  const votes = new Map<number, Vote[]>(
    Array.from({ length: 8 }, (_, id) => [id, [vote("a", id % 2 === 1), vote("b", id % 2 === 1), vote("spam", true)]]),
  );
  const table = buildConfidenceTable(
    [...votes.values()].map((v) => ({ votes: v })),
    { maxVotes: 4, rng: mulberry32(1) },
  );
  const context = {
    table,
    policy: { ...DEFAULT_POLICY, maxVotes: 4, target: 0.9 },
    quality: new Map(),
    gold: new Map(),
  };

  it("uses the confidence table for the adaptive estimator", () => {
    const estimates = estimateAll("adaptive", votes, context);
    for (const [id, v] of votes) expect(estimates.get(id)).toEqual(decide(v, table, context.policy, context.quality));
  });

  it("uses calibrated Dawid–Skene posteriors over all images for the dawid-skene estimator", () => {
    const estimates = estimateAll("dawid-skene", votes, context);
    const items = [...votes.values()].map((v) => ({ votes: v }));
    const { posteriors } = calibrateDawidSkene(items, dawidSkene(items, { quality: context.quality }));
    expect([...estimates.values()].map((e) => e.probability)).toEqual(posteriors);
    const adaptive = estimateAll("adaptive", votes, context);
    expect([...estimates.values()].map((e) => e.probability)).not.toEqual(
      [...adaptive.values()].map((e) => e.probability),
    );
  });

  it("swaps the base rate for an image's prior in either estimator, and leaves images without one alone", () => {
    const priors = new Map([
      [0, 0.999],
      [1, 0.001],
    ]);
    const adaptive = estimateAll("adaptive", votes, { ...context, priors });
    const plain = estimateAll("adaptive", votes, context);
    expect(adaptive.get(0)).toEqual(decideWithPrior(votes.get(0) ?? [], table, context.policy, 0.999, context.quality));
    // Image 1 is positive by its votes; a near-certain "no" prior pulls its posterior down.
    expect(adaptive.get(1)?.probability).toBeLessThan(plain.get(1)?.probability as number);
    for (const id of [2, 3, 4, 5, 6, 7]) expect(adaptive.get(id)).toEqual(plain.get(id));

    const ds = estimateAll("dawid-skene", votes, { ...context, priors });
    const items = [...votes.values()].map((v) => ({ votes: v }));
    const { posteriors, positiveRate } = calibrateDawidSkene(items, dawidSkene(items, { quality: context.quality }));
    expect(ds.get(0)?.probability).toBeCloseTo(posteriorWithPrior(posteriors[0] as number, positiveRate, 0.999), 12);
    expect(ds.get(1)?.probability).toBeCloseTo(posteriorWithPrior(posteriors[1] as number, positiveRate, 0.001), 12);
    expect(ds.get(2)?.probability).toBe(posteriors[2]);
  });

  it("makes an undecided image nobody can vote on any more ambiguous, with either estimator", () => {
    const strict = { ...context, policy: { ...context.policy, target: 0.99 } }; // some images need a 4th vote
    const nobody = new Map([...votes.keys()].map((id) => [id, 0]));
    for (const estimator of ["adaptive", "dawid-skene"] as const) {
      const open = estimateAll(estimator, votes, strict);
      expect([...open.values()].map((e) => e.decision)).toContain("pending");
      const exhausted = estimateAll(estimator, votes, { ...strict, remaining: nobody });
      for (const [id, estimate] of exhausted) {
        const before = open.get(id);
        expect(estimate.probability).toBe(before?.probability);
        expect(estimate.decision).toBe(before?.decision === "pending" ? "ambiguous" : before?.decision);
      }
    }
  });
});

import { describe, expect, it } from "vitest";
import {
  annotatorWeight,
  estimateAccuracy,
  MAX_VOTE_WEIGHT,
  voteInformation,
  voteWeight,
} from "./annotator-quality.ts";

describe("estimateAccuracy", () => {
  it("is the Beta(4, 1) posterior mean: newcomers at 0.8, 2 of 2 is not 100%", () => {
    expect(estimateAccuracy(0, 0)).toBe(0.8);
    expect(estimateAccuracy(2, 2)).toBeCloseTo(6 / 7, 12);
    expect(estimateAccuracy(0, 2)).toBeCloseTo(4 / 7, 12);
    expect(estimateAccuracy(100, 100)).toBeLessThan(1);
    expect(estimateAccuracy(50, 100)).toBeCloseTo(54 / 105, 12);
  });

  it("takes another prior", () => {
    expect(estimateAccuracy(3, 4, { alpha: 1, beta: 1 })).toBeCloseTo(4 / 6, 12);
  });

  it("rejects impossible counts and priors", () => {
    expect(() => estimateAccuracy(3, 2)).toThrow(/0 ≤ correct ≤ total/);
    expect(() => estimateAccuracy(-1, 2)).toThrow();
    expect(() => estimateAccuracy(Number.NaN, 2)).toThrow();
    expect(() => estimateAccuracy(1, 2, { alpha: 0, beta: 1 })).toThrow(/prior/);
  });
});

describe("voteWeight", () => {
  it("is the log-odds of being right", () => {
    expect(voteWeight(0.9)).toBeCloseTo(Math.log(9), 12);
    expect(voteWeight(0.75)).toBeCloseTo(Math.log(3), 12);
  });

  it("gives nothing at or below chance, and for NaN", () => {
    expect(voteWeight(0.5)).toBe(0);
    expect(voteWeight(0.2)).toBe(0);
    expect(voteWeight(Number.NaN)).toBe(0);
  });

  it("caps at log(99) ≈ 4.6, also for perfect scores", () => {
    expect(MAX_VOTE_WEIGHT).toBeCloseTo(4.595, 3);
    expect(voteWeight(0.999)).toBe(MAX_VOTE_WEIGHT);
    expect(voteWeight(1)).toBe(MAX_VOTE_WEIGHT);
  });
});

describe("annotatorWeight and voteInformation", () => {
  it("gives blocked annotators nothing and unknown ones the prior mean's weight", () => {
    expect(annotatorWeight({ accuracy: 0.95, blocked: true })).toBe(0);
    expect(annotatorWeight(undefined)).toBeCloseTo(Math.log(4), 12);
    expect(annotatorWeight({ accuracy: 0.9 })).toBeCloseTo(Math.log(9), 12);
  });

  it("values a 0.9 annotator's vote at several 0.7 votes, and spammers' at none", () => {
    const good = voteInformation({ accuracy: 0.9 });
    const mediocre = voteInformation({ accuracy: 0.7 });
    expect(good / mediocre).toBeGreaterThan(3);
    expect(voteInformation({ accuracy: 0.5 })).toBe(0);
    expect(voteInformation({ accuracy: 0.9, blocked: true })).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { poolPlan } from "./annotator-pool.ts";
import { DEFAULT_POLICY } from "./types.ts";

describe("poolPlan", () => {
  it("asks the policy's votes of a pool large enough", () => {
    expect(poolPlan(DEFAULT_POLICY, 60)).toEqual({
      annotators: 60,
      seedVotes: 10,
      maxVotes: 10,
      seedBlocked: false,
      seedMinimum: 3,
      undecidable: false,
    });
  });

  it("lowers the seed's votes and the most votes an image can get to a small pool", () => {
    expect(poolPlan(DEFAULT_POLICY, 6)).toMatchObject({ seedVotes: 6, maxVotes: 6, seedBlocked: false });
    expect(poolPlan({ ...DEFAULT_POLICY, seedVotes: 5 }, 6)).toMatchObject({ seedVotes: 5, maxVotes: 6 });
    expect(poolPlan(DEFAULT_POLICY, 3)).toMatchObject({ seedVotes: 3, maxVotes: 3, seedBlocked: false });
  });

  it("blocks the seed below three annotators, and says when no image can reach minVotes", () => {
    expect(poolPlan(DEFAULT_POLICY, 2)).toMatchObject({ seedVotes: 3, maxVotes: 2, seedBlocked: true });
    expect(poolPlan(DEFAULT_POLICY, 0)).toMatchObject({ seedBlocked: true, undecidable: true });
    expect(poolPlan({ ...DEFAULT_POLICY, minVotes: 8 }, 6)).toMatchObject({ undecidable: true });
    expect(poolPlan({ ...DEFAULT_POLICY, minVotes: 6 }, 6)).toMatchObject({ undecidable: false });
  });

  it("refuses a pool that is not a count", () => {
    expect(() => poolPlan(DEFAULT_POLICY, -1)).toThrow(RangeError);
    expect(() => poolPlan(DEFAULT_POLICY, 1.5)).toThrow(RangeError);
  });
});

import { describe, expect, it } from "vitest";
import { poolHint } from "./pool-hint";

const defaults = { seedVotes: 10, maxVotes: 10, minVotes: 2 };
const pool = (annotators: number, active = annotators) => ({ annotators, active, activeDays: 7 });

describe("poolHint", () => {
  it("says what the policy needs and what the pool has", () => {
    expect(poolHint(defaults, pool(60, 40), 3)).toEqual({
      needs:
        "This policy needs 10 distinct annotators for the seed set (seedVotes) and up to 10 for every other image " +
        "(maxVotes); there are 60 annotators (unblocked, with the annotator role), 40 active in the last 7 days.",
      consequences: [],
      blocked: false,
    });
  });

  it("tells a small team how the seed and the vote cap adapt", () => {
    expect(poolHint(defaults, pool(6), 3)).toMatchObject({
      consequences: [
        "The seed is collected with 6 votes per image instead of 10.",
        "An image gets at most 6 votes; one still undecided when all have voted on it goes to review.",
      ],
      blocked: false,
    });
  });

  it("warns when the seed cannot be completed or no image can reach minVotes", () => {
    const two = poolHint(defaults, pool(2), 3);
    expect(two.blocked).toBe(true);
    expect(two.consequences[0]).toMatch(/cannot be completed with 2 \(it needs at least 3\)/);
    expect(poolHint({ ...defaults, minVotes: 8 }, pool(6), 3).consequences).toContain(
      "minVotes (8) is more than the pool: the crowd cannot decide any image, all go to review.",
    );
    expect(poolHint(defaults, pool(1), 3).needs).toMatch(/there is 1 annotator \(/);
  });
});

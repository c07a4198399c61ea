import { type ConsensusPolicy, POLICY_BOUNDS } from "./types.ts";

/**
 * What a campaign can ask of its annotator pool. An annotator votes at most once per image, so no image can
 * have more votes than there are annotators: a policy that asks for more must adapt or it stalls.
 *
 * - The seed set is collected with `seedVotes` votes per image, lowered to the pool's size, but never below
 *   the least seed a confidence table may be built from (POLICY_BOUNDS.seedVotes.min, 3). With fewer
 *   annotators than that the seed is blocked until annotators are added.
 * - Any other image can get at most `min(maxVotes, pool)` votes; one still undecided when every annotator
 *   has voted on it is ambiguous (admin review), as at maxVotes.
 */
export interface PoolPlan {
  /** Distinct annotators in the pool. */
  annotators: number;
  /** Votes per seed image the seed is collected with (the policy's seedVotes, or fewer for a small pool). */
  seedVotes: number;
  /** Most votes an image can get: maxVotes, or the pool's size when that is smaller. */
  maxVotes: number;
  /** Fewer annotators than the smallest seed allowed: the seed cannot be completed. */
  seedBlocked: boolean;
  /** The least pool a seed can be completed with. */
  seedMinimum: number;
  /** minVotes is more than the pool: the crowd cannot decide any image, every one ends in review. */
  undecidable: boolean;
}

export function poolPlan(
  policy: Pick<ConsensusPolicy, "seedVotes" | "maxVotes" | "minVotes">,
  annotators: number,
): PoolPlan {
  if (!Number.isInteger(annotators) || annotators < 0) {
    throw new RangeError(`poolPlan: annotators must be a non-negative integer, got ${annotators}`);
  }
  const seedMinimum = POLICY_BOUNDS.seedVotes.min;
  const seedVotes = Math.max(seedMinimum, Math.min(policy.seedVotes, annotators));
  return {
    annotators,
    seedVotes,
    maxVotes: Math.min(policy.maxVotes, annotators),
    seedBlocked: annotators < seedVotes,
    seedMinimum,
    undecidable: annotators < policy.minVotes,
  };
}

/** One crowd answer to "does this image show the synset?". */
export interface Vote {
  annotatorId: string;
  positive: boolean;
}

/** What gold questions have told us about an annotator. */
export interface AnnotatorQuality {
  /** Estimated probability of answering correctly (see estimateAccuracy). */
  accuracy: number;
  /** Blocked annotators' votes are ignored entirely, past and future. */
  blocked?: boolean;
}

/**
 * How many votes an image gets and how sure we must be (ImageNet, Deng et al. 2009, section 3.2).
 * A seed of `seedSize` images gets `seedVotes` votes each to build the synset's confidence table; every
 * other image gets votes one at a time until P(positive | votes) reaches `target` or 1 − `target`.
 */
export interface ConsensusPolicy {
  /** Posterior needed to verify (and 1 − target to reject), e.g. 0.99. */
  target: number;
  /** No decision on fewer votes than this, however confident one vote looks. */
  minVotes: number;
  /** An image still undecided after this many votes is ambiguous and goes to admin review. */
  maxVotes: number;
  seedSize: number;
  seedVotes: number;
}

export type Decision = "verified" | "rejected" | "pending" | "ambiguous";

export const DEFAULT_POLICY: Readonly<ConsensusPolicy> = Object.freeze({
  target: 0.99,
  minVotes: 2,
  maxVotes: 10,
  seedSize: 30,
  seedVotes: 10,
});

/** Upper bound on votes per image: beyond this the confidence table stops being estimable from a seed. */
export const MAX_VOTES_LIMIT = 50;

/** Throws a message naming the offending field; returns the policy so it can wrap a literal. */
export function validatePolicy(policy: ConsensusPolicy): ConsensusPolicy {
  const { target, minVotes, maxVotes, seedSize, seedVotes } = policy;
  if (!(target > 0.5 && target < 1)) {
    throw new RangeError(`consensus policy: target must be in (0.5, 1), got ${target}`);
  }
  const integer = (name: string, value: number, min: number, max: number): void => {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new RangeError(`consensus policy: ${name} must be an integer in [${min}, ${max}], got ${value}`);
    }
  };
  integer("maxVotes", maxVotes, 1, MAX_VOTES_LIMIT);
  integer("minVotes", minVotes, 1, maxVotes);
  integer("seedSize", seedSize, 1, 100_000);
  // Three votes is the least that can have a majority and still disagree with one voter.
  integer("seedVotes", seedVotes, 3, MAX_VOTES_LIMIT);
  return policy;
}

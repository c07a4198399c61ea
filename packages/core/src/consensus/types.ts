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

/**
 * The bounds of each policy field, written once: `validatePolicy` enforces them and the campaign policy's
 * zod schema (in @arbor/usecases) is built from them, so the API, its OpenAPI document and the domain agree.
 * `target` is an open interval; the others are closed integer ranges. minVotes is also at most maxVotes,
 * a rule between two fields that `validatePolicy` checks.
 */
export const POLICY_BOUNDS = Object.freeze({
  target: Object.freeze({ exclusiveMin: 0.5, exclusiveMax: 1 }),
  minVotes: Object.freeze({ min: 1, max: MAX_VOTES_LIMIT }),
  maxVotes: Object.freeze({ min: 1, max: MAX_VOTES_LIMIT }),
  seedSize: Object.freeze({ min: 1, max: 100_000 }),
  // Three votes is the least that can have a majority and still disagree with one voter.
  seedVotes: Object.freeze({ min: 3, max: MAX_VOTES_LIMIT }),
});

/** Throws a message naming the offending field; returns the policy so it can wrap a literal. */
export function validatePolicy(policy: ConsensusPolicy): ConsensusPolicy {
  const { target, minVotes, maxVotes, seedSize, seedVotes } = policy;
  const { exclusiveMin, exclusiveMax } = POLICY_BOUNDS.target;
  if (!(target > exclusiveMin && target < exclusiveMax)) {
    throw new RangeError(`consensus policy: target must be in (${exclusiveMin}, ${exclusiveMax}), got ${target}`);
  }
  const integer = (name: string, value: number, min: number, max: number): void => {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new RangeError(`consensus policy: ${name} must be an integer in [${min}, ${max}], got ${value}`);
    }
  };
  integer("maxVotes", maxVotes, POLICY_BOUNDS.maxVotes.min, POLICY_BOUNDS.maxVotes.max);
  integer("minVotes", minVotes, POLICY_BOUNDS.minVotes.min, Math.min(maxVotes, POLICY_BOUNDS.minVotes.max));
  integer("seedSize", seedSize, POLICY_BOUNDS.seedSize.min, POLICY_BOUNDS.seedSize.max);
  integer("seedVotes", seedVotes, POLICY_BOUNDS.seedVotes.min, POLICY_BOUNDS.seedVotes.max);
  return policy;
}

import type { AdaptiveDecision } from "../consensus/adaptive-decision.ts";
import { type ConfidenceTable, lookup } from "../consensus/confidence-table.ts";
import { effectiveVotes } from "../consensus/effective-votes.ts";
import type { AnnotatorQuality, ConsensusPolicy, Vote } from "../consensus/types.ts";

/**
 * Base rates and priors are kept a millionth away from 0 and 1 so that a degenerate base rate cannot divide
 * by zero; calibrated priors are already within [0.001, 0.999] (see calibrate).
 */
const EDGE = 1e-6;

/**
 * The posterior for one image whose own prior replaces the synset's base rate. The confidence table's
 * p[y][n] = P(positive | votes) has the base rate built in: odds(table) = odds(base) × LR(votes). Swapping
 * the base for the image's prior in odds: odds(post) = odds(table) × odds(prior) / odds(base). A table value
 * of exactly 0 or 1 is certain whatever the prior, and is returned as is.
 */
export function posteriorWithPrior(tableProbability: number, basePositiveRate: number, prior: number): number {
  for (const [name, value] of [
    ["tableProbability", tableProbability],
    ["basePositiveRate", basePositiveRate],
    ["prior", prior],
  ] as const) {
    if (!(value >= 0 && value <= 1))
      throw new RangeError(`posteriorWithPrior: ${name} must be in [0, 1], got ${value}`);
  }
  if (tableProbability === 0 || tableProbability === 1) return tableProbability;
  const logOdds = logit(tableProbability) + logit(edge(prior)) - logit(edge(basePositiveRate));
  return 1 / (1 + Math.exp(-logOdds));
}

/**
 * The fewest votes an image with a calibrated prior may be decided on, unless the policy says otherwise
 * (PriorPolicy.minVotesWithPrior). minVotes (default 2) exists so that no image is decided on one look at it
 * plus the synset's base rate; a calibrated prior is a second, image-specific look (the model's), so one
 * person agreeing with a sure model is two looks, and the rules below keep it from being less.
 */
export const DEFAULT_MIN_VOTES_WITH_PRIOR = 1;

/** A consensus policy with the one field only images with a prior use. */
export interface PriorPolicy extends ConsensusPolicy {
  /**
   * From this many votes on (1 ≤ it ≤ minVotes; default DEFAULT_MIN_VOTES_WITH_PRIOR) an image with a prior may
   * be decided before minVotes, see decideWithPrior. Equal to minVotes: the prior never shortens the floor.
   */
  minVotesWithPrior?: number;
}

/**
 * decide() with the image's calibrated prior in place of the synset's base rate: the same effective votes,
 * the same threshold rule (verify at ≥ target, reject at ≤ 1 − target) and the same early ambiguous verdict
 * when even unanimous votes up to maxVotes (or the annotators left) could not decide. The probability is
 * posteriorWithPrior(lookup(table, yes, no), table.positiveRate, prior).
 *
 * From minVotes votes on the rule is decide()'s. Below minVotes, from policy.minVotesWithPrior votes on, the
 * prior may stand in for the missing minVotes − v votes, and only when it says as much as they would:
 *  - the posterior clears the threshold (the same target: precision is not traded for votes);
 *  - every vote so far agrees with the verdict (no no-vote for verified, no yes-vote for rejected): before
 *    minVotes a prior shortens agreement, it never overrules a person (from minVotes on it may, as before);
 *  - the prior alone is on the verdict's side of the base rate and at least as sure as the missing votes,
 *    all agreeing, would make the table from the base rate: prior ≥ lookup(table, missing, 0) to verify,
 *    prior ≤ lookup(table, 0, missing) to reject. A prior at (or near) the base rate says nothing about the
 *    image, so it still needs minVotes, as decide() does.
 * With prior = table.positiveRate it is decide() exactly, whatever minVotesWithPrior.
 */
export function decideWithPrior(
  votes: readonly Vote[],
  table: ConfidenceTable,
  policy: PriorPolicy,
  prior: number,
  quality?: ReadonlyMap<string, AnnotatorQuality>,
  remaining?: number,
): AdaptiveDecision {
  const floor = policy.minVotesWithPrior ?? DEFAULT_MIN_VOTES_WITH_PRIOR;
  if (!Number.isInteger(floor) || floor < 1 || floor > policy.minVotes) {
    throw new RangeError(
      `decideWithPrior: minVotesWithPrior must be an integer in [1, minVotes = ${policy.minVotes}], got ${floor}`,
    );
  }
  const at = (yes: number, no: number): number => posteriorWithPrior(lookup(table, yes, no), table.positiveRate, prior);
  const base = table.positiveRate;
  /** The verdict on `count` counted votes adding up to (yes, no) effective votes, or null: not yet. */
  const verdict = (yes: number, no: number, count: number): "verified" | "rejected" | null => {
    const p = at(yes, no);
    const up = p >= policy.target;
    const down = p <= 1 - policy.target;
    if (count >= policy.minVotes) return up ? "verified" : down ? "rejected" : null;
    if (count < floor) return null;
    const missing = policy.minVotes - count;
    if (up && no === 0 && prior > base && prior >= lookup(table, missing, 0)) return "verified";
    if (down && yes === 0 && prior < base && prior <= lookup(table, 0, missing)) return "rejected";
    return null;
  };
  const counts = effectiveVotes(votes, quality, table.unitWeight);
  const result = { probability: at(counts.yes, counts.no), votes: counts.votes };
  const now = verdict(counts.yes, counts.no, counts.votes);
  if (now !== null) return { ...result, decision: now, stillNeeded: 0 };
  const reachable = Math.min(policy.maxVotes, counts.votes + Math.max(0, remaining ?? Number.POSITIVE_INFINITY));
  for (let more = 1; counts.votes + more <= reachable; more++) {
    const count = counts.votes + more;
    if (
      verdict(counts.yes + more, counts.no, count) === "verified" ||
      verdict(counts.yes, counts.no + more, count) === "rejected"
    ) {
      return { ...result, decision: "pending", stillNeeded: more };
    }
  }
  return { ...result, decision: "ambiguous", stillNeeded: 0 };
}

const edge = (p: number): number => Math.min(1 - EDGE, Math.max(EDGE, p));
const logit = (p: number): number => Math.log(p / (1 - p));

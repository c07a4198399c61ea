import { type ConfidenceTable, lookup } from "./confidence-table.ts";
import { effectiveVotes } from "./effective-votes.ts";
import type { AnnotatorQuality, ConsensusPolicy, Decision, Vote } from "./types.ts";

export interface AdaptiveDecision {
  decision: Decision;
  /** P(positive | votes so far) from the synset's confidence table. */
  probability: number;
  /** Votes that counted (blocked annotators and repeat votes excluded). */
  votes: number;
}

/**
 * ImageNet's dynamic consensus: verify once P(positive | votes) ≥ target, reject once it is ≤ 1 − target
 * (both only from minVotes on), call it ambiguous at maxVotes, and otherwise ask for another vote. Votes
 * are weighted by annotator quality in the same units the table was built in.
 */
export function decide(
  votes: readonly Vote[],
  table: ConfidenceTable,
  policy: ConsensusPolicy,
  quality?: ReadonlyMap<string, AnnotatorQuality>,
): AdaptiveDecision {
  const counts = effectiveVotes(votes, quality, table.unitWeight);
  const probability = lookup(table, counts.yes, counts.no);
  return { decision: decisionFor(probability, counts.votes, policy), probability, votes: counts.votes };
}

/** The threshold rule on its own, for callers (e.g. Dawid–Skene) with their own probability. */
export function decisionFor(probability: number, votes: number, policy: ConsensusPolicy): Decision {
  if (votes >= policy.minVotes) {
    if (probability >= policy.target) return "verified";
    if (probability <= 1 - policy.target) return "rejected";
  }
  return votes >= policy.maxVotes ? "ambiguous" : "pending";
}

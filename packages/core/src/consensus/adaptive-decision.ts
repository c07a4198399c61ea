import { type ConfidenceTable, lookup } from "./confidence-table.ts";
import { effectiveVotes } from "./effective-votes.ts";
import type { AnnotatorQuality, ConsensusPolicy, Decision, Vote } from "./types.ts";

export interface AdaptiveDecision {
  decision: Decision;
  /** P(positive | votes so far) from the synset's confidence table. */
  probability: number;
  /** Votes that counted (blocked annotators and repeat votes excluded). */
  votes: number;
  /** For pending images: average-quality votes still needed at best (all agreeing) before a decision. */
  stillNeeded: number;
}

/**
 * ImageNet's dynamic consensus: verify once P(positive | votes) ≥ target, reject once it is ≤ 1 − target
 * (both only from minVotes on), and otherwise ask for another vote. An image is ambiguous (admin review)
 * at maxVotes, or earlier once even unanimous average votes up to maxVotes could not reach either
 * threshold: buying those votes could not change the outcome. Votes are weighted by annotator quality in
 * the units the table was built in.
 */
export function decide(
  votes: readonly Vote[],
  table: ConfidenceTable,
  policy: ConsensusPolicy,
  quality?: ReadonlyMap<string, AnnotatorQuality>,
): AdaptiveDecision {
  const counts = effectiveVotes(votes, quality, table.unitWeight);
  const probability = lookup(table, counts.yes, counts.no);
  const base = { probability, votes: counts.votes };
  const decision = decisionFor(probability, counts.votes, policy);
  if (decision !== "pending") return { ...base, decision, stillNeeded: 0 };
  for (let more = 1; counts.votes + more <= policy.maxVotes; more++) {
    if (counts.votes + more < policy.minVotes) continue;
    const up = lookup(table, counts.yes + more, counts.no);
    const down = lookup(table, counts.yes, counts.no + more);
    if (up >= policy.target || down <= 1 - policy.target) return { ...base, decision, stillNeeded: more };
  }
  return { ...base, decision: "ambiguous", stillNeeded: 0 };
}

/** The threshold rule on its own, for callers with their own probability (e.g. Dawid–Skene). */
export function decisionFor(probability: number, votes: number, policy: ConsensusPolicy): Decision {
  if (votes >= policy.minVotes) {
    if (probability >= policy.target) return "verified";
    if (probability <= 1 - policy.target) return "rejected";
  }
  return votes >= policy.maxVotes ? "ambiguous" : "pending";
}

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
 *
 * `remaining`, when given, is how many annotators could still vote on the image (each votes once): the
 * votes it can still get are capped by it as by maxVotes, so an image nobody left can vote on (remaining 0),
 * or that even all of them agreeing could not decide, is ambiguous instead of waiting for ever. Verifying
 * and rejecting do not depend on it: the same votes reach the same verdict.
 */
export function decide(
  votes: readonly Vote[],
  table: ConfidenceTable,
  policy: ConsensusPolicy,
  quality?: ReadonlyMap<string, AnnotatorQuality>,
  remaining?: number,
): AdaptiveDecision {
  const counts = effectiveVotes(votes, quality, table.unitWeight);
  const probability = lookup(table, counts.yes, counts.no);
  const base = { probability, votes: counts.votes };
  const reachable = Math.min(policy.maxVotes, counts.votes + Math.max(0, remaining ?? Number.POSITIVE_INFINITY));
  const decision = decisionFor(probability, counts.votes, policy, reachable - counts.votes);
  if (decision !== "pending") return { ...base, decision, stillNeeded: 0 };
  for (let more = 1; counts.votes + more <= reachable; more++) {
    if (counts.votes + more < policy.minVotes) continue;
    const up = lookup(table, counts.yes + more, counts.no);
    const down = lookup(table, counts.yes, counts.no + more);
    if (up >= policy.target || down <= 1 - policy.target) return { ...base, decision, stillNeeded: more };
  }
  return { ...base, decision: "ambiguous", stillNeeded: 0 };
}

/**
 * The threshold rule on its own, for callers with their own probability (e.g. Dawid–Skene). With
 * `remaining` (annotators who could still vote on the image), an undecided image nobody can vote on any
 * more is ambiguous, as at maxVotes.
 */
export function decisionFor(probability: number, votes: number, policy: ConsensusPolicy, remaining?: number): Decision {
  if (votes >= policy.minVotes) {
    if (probability >= policy.target) return "verified";
    if (probability <= 1 - policy.target) return "rejected";
  }
  return votes >= policy.maxVotes || (remaining !== undefined && remaining <= 0) ? "ambiguous" : "pending";
}

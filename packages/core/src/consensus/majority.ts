import type { Decision, Vote } from "./types.ts";

/**
 * Fixed-N majority vote, the baseline the adaptive scheme is measured against: pending until n votes,
 * then the majority of the first n; a tie (possible for even n) is ambiguous. One vote per annotator.
 */
export function majorityDecision(votes: readonly Vote[], n: number): Decision {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`majorityDecision: n must be a positive integer, got ${n}`);
  const seen = new Set<string>();
  let yes = 0;
  let no = 0;
  for (const vote of votes) {
    if (seen.size === n) break;
    if (seen.has(vote.annotatorId)) continue;
    seen.add(vote.annotatorId);
    if (vote.positive) yes++;
    else no++;
  }
  if (seen.size < n) return "pending";
  return yes > no ? "verified" : no > yes ? "rejected" : "ambiguous";
}

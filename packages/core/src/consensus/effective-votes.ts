import { annotatorWeight } from "./annotator-quality.ts";
import type { AnnotatorQuality, Vote } from "./types.ts";

export interface WeightedVote {
  positive: boolean;
  /** annotatorWeight of the voter: log-odds of their accuracy; 1 for everyone when quality is unknown. */
  weight: number;
}

/**
 * The votes that count: blocked annotators are dropped and an annotator's repeat votes on one image are
 * ignored (one person, one voice). Without a quality map every vote weighs 1.
 */
export function weightedVotes(votes: readonly Vote[], quality?: ReadonlyMap<string, AnnotatorQuality>): WeightedVote[] {
  const seen = new Set<string>();
  const out: WeightedVote[] = [];
  for (const vote of votes) {
    if (seen.has(vote.annotatorId)) continue;
    seen.add(vote.annotatorId);
    const q = quality?.get(vote.annotatorId);
    if (q?.blocked) continue;
    out.push({ positive: vote.positive, weight: quality ? annotatorWeight(q) : 1 });
  }
  return out;
}

/** Quality-weighted vote counts in units of "one average vote". */
export interface EffectiveVotes {
  yes: number;
  no: number;
  /** Raw votes that counted (see weightedVotes): what minVotes and maxVotes are about. */
  votes: number;
}

/**
 * Effective (yes, no) counts: each counted vote adds weight / unitWeight, where unitWeight is the mean
 * weight of the votes the confidence table was built from, so table and lookups speak the same units.
 * Without a quality map every vote counts 1 whatever unitWeight says.
 */
export function effectiveVotes(
  votes: readonly Vote[],
  quality?: ReadonlyMap<string, AnnotatorQuality>,
  unitWeight = 1,
): EffectiveVotes {
  const unit = quality && unitWeight > 0 ? unitWeight : 1;
  const counted = weightedVotes(votes, quality);
  let yes = 0;
  let no = 0;
  for (const vote of counted) {
    if (vote.positive) yes += vote.weight / unit;
    else no += vote.weight / unit;
  }
  return { yes, no, votes: counted.length };
}

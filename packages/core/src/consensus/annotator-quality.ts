import type { AnnotatorQuality } from "./types.ts";

export interface BetaPrior {
  alpha: number;
  beta: number;
}

/** Beta(4, 1): most annotators are mostly right (prior mean 0.8), worth five gold answers of evidence. */
export const DEFAULT_ACCURACY_PRIOR: Readonly<BetaPrior> = Object.freeze({ alpha: 4, beta: 1 });

/**
 * Posterior mean accuracy from gold answers. The prior keeps small samples honest: 2 of 2 correct is
 * 6/7 ≈ 0.86, not 100%, and a newcomer with no gold answers sits at the prior mean.
 */
export function estimateAccuracy(correct: number, total: number, prior: BetaPrior = DEFAULT_ACCURACY_PRIOR): number {
  if (!(Number.isFinite(correct) && Number.isFinite(total) && correct >= 0 && correct <= total)) {
    throw new RangeError(`estimateAccuracy: need 0 ≤ correct ≤ total, got ${correct} of ${total}`);
  }
  if (!(prior.alpha > 0 && prior.beta > 0)) {
    throw new RangeError(`estimateAccuracy: prior alpha and beta must be positive`);
  }
  return (correct + prior.alpha) / (total + prior.alpha + prior.beta);
}

/** log(0.99 / 0.01): a gold sample can't tell 99% from 99.9%, so nobody outweighs ~4.6 nats. */
export const MAX_VOTE_WEIGHT = Math.log(99);

/**
 * A vote's weight is its log-likelihood ratio log(a / (1 − a)): the evidence one answer from an annotator
 * of accuracy `a` carries. At or below chance it carries none (we never invert votes: a "contrarian"
 * estimate is far likelier to be a spammer plus noise).
 */
export function voteWeight(accuracy: number): number {
  if (!(accuracy > 0.5)) return 0; // also NaN
  if (accuracy >= 1) return MAX_VOTE_WEIGHT;
  return Math.min(MAX_VOTE_WEIGHT, Math.log(accuracy / (1 - accuracy)));
}

/** Weight of an annotator's vote given what we know; unknown annotators count at the prior mean. */
export function annotatorWeight(quality: AnnotatorQuality | undefined): number {
  if (quality?.blocked) return 0;
  return voteWeight(quality?.accuracy ?? estimateAccuracy(0, 0));
}

/**
 * Expected evidence one vote yields, in nats: the KL divergence between the vote's distribution on a
 * positive and on a negative image, (2a − 1) log(a / (1 − a)). Every vote costs the same, so a task router
 * offering work in proportion to this buys the most certainty per vote: a 0.9 annotator is worth ~3.5
 * votes of a 0.7 one. Blocked annotators and those at or below chance are worth nothing.
 */
export function voteInformation(quality: AnnotatorQuality | undefined): number {
  const accuracy = quality?.accuracy ?? estimateAccuracy(0, 0);
  return quality?.blocked ? 0 : (2 * accuracy - 1) * voteWeight(accuracy);
}

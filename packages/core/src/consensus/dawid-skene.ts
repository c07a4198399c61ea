import { annotatorWeight, type BetaPrior, DEFAULT_ACCURACY_PRIOR } from "./annotator-quality.ts";
import type { AnnotatorQuality, Vote } from "./types.ts";

export interface DawidSkeneItem {
  votes: readonly Vote[];
  /** Known truth (a gold question): held fixed, and it anchors the annotators' estimated parameters. */
  label?: boolean;
}

/** An annotator's binary confusion matrix. */
export interface AnnotatorConfusion {
  /** P(votes yes | image positive). */
  sensitivity: number;
  /** P(votes no | image negative). */
  specificity: number;
  votes: number;
}

export interface DawidSkeneOptions {
  maxIterations?: number;
  /** Stop when no posterior moves more than this in an iteration. */
  tolerance?: number;
  /** Beta prior on sensitivity and specificity; the default (mostly right) also stops the label-flip solution. */
  prior?: BetaPrior;
  /** Gold-based quality for the weighted-majority start; it does not otherwise weight votes. */
  quality?: ReadonlyMap<string, AnnotatorQuality>;
}

export interface DawidSkeneResult {
  /** P(positive) per item, in input order (0 or 1 for labelled items). */
  posteriors: number[];
  annotators: Map<string, AnnotatorConfusion>;
  /** Estimated share of positives among the unlabelled items (all items if every one is labelled). */
  positiveRate: number;
  iterations: number;
  converged: boolean;
}

// Smoothing already keeps estimates off 0 and 1; the clamp keeps log-odds finite on huge vote counts.
const EPSILON = 1e-4;

/**
 * Binary Dawid–Skene (1979) EM: learns each annotator's sensitivity and specificity and the class prior
 * jointly with the items' posteriors, so a spammer's votes end up weighing ~nothing without any gold
 * question. Starts from the (quality-weighted) majority vote. Repeat votes by an annotator on one item
 * count once.
 */
export function dawidSkene(items: readonly DawidSkeneItem[], options: DawidSkeneOptions = {}): DawidSkeneResult {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-6;
  const prior = options.prior ?? DEFAULT_ACCURACY_PRIOR;

  // Flatten to parallel arrays with annotator indices: the EM loops are hot in simulations.
  const ids: string[] = [];
  const index = new Map<string, number>();
  const voteItem: number[] = [];
  const voteAnnotator: number[] = [];
  const votePositive: boolean[] = [];
  items.forEach((item, i) => {
    const seen = new Set<string>();
    for (const vote of item.votes) {
      if (seen.has(vote.annotatorId)) continue;
      seen.add(vote.annotatorId);
      let a = index.get(vote.annotatorId);
      if (a === undefined) {
        a = ids.length;
        ids.push(vote.annotatorId);
        index.set(vote.annotatorId, a);
      }
      voteItem.push(i);
      voteAnnotator.push(a);
      votePositive.push(vote.positive);
    }
  });
  const fixed = items.map((item) => item.label);
  const unlabelled = fixed.filter((label) => label === undefined).length;

  let posteriors = initialPosteriors(items, options.quality);
  const sensitivity = new Array<number>(ids.length).fill(0);
  const specificity = new Array<number>(ids.length).fill(0);
  const voteCount = new Array<number>(ids.length).fill(0);
  let positiveRate = 0.5;
  let iterations = 0;
  let converged = false;

  while (iterations < maxIterations && !converged) {
    iterations++;
    // M-step: expected confusion counts, smoothed by the prior.
    const yesGivenPos = new Array<number>(ids.length).fill(0);
    const pos = new Array<number>(ids.length).fill(0);
    const noGivenNeg = new Array<number>(ids.length).fill(0);
    const neg = new Array<number>(ids.length).fill(0);
    voteCount.fill(0);
    for (let v = 0; v < voteItem.length; v++) {
      const t = posteriors[voteItem[v] as number] as number;
      const a = voteAnnotator[v] as number;
      pos[a] = (pos[a] as number) + t;
      neg[a] = (neg[a] as number) + 1 - t;
      if (votePositive[v]) yesGivenPos[a] = (yesGivenPos[a] as number) + t;
      else noGivenNeg[a] = (noGivenNeg[a] as number) + 1 - t;
      voteCount[a] = (voteCount[a] as number) + 1;
    }
    for (let a = 0; a < ids.length; a++) {
      const denominator = prior.alpha + prior.beta;
      sensitivity[a] = clamp(((yesGivenPos[a] as number) + prior.alpha) / ((pos[a] as number) + denominator));
      specificity[a] = clamp(((noGivenNeg[a] as number) + prior.alpha) / ((neg[a] as number) + denominator));
    }
    // Gold items are picked by us, not drawn from the synset, so they say nothing about its positive rate.
    let sum = 0;
    posteriors.forEach((t, i) => {
      if (unlabelled === 0 || fixed[i] === undefined) sum += t;
    });
    positiveRate = clamp((sum + 1) / ((unlabelled || items.length) + 2));

    // E-step: posterior log-odds = prior log-odds + each vote's log-likelihood ratio.
    const logOdds = new Array<number>(items.length).fill(Math.log(positiveRate / (1 - positiveRate)));
    for (let v = 0; v < voteItem.length; v++) {
      const a = voteAnnotator[v] as number;
      const sens = sensitivity[a] as number;
      const spec = specificity[a] as number;
      const i = voteItem[v] as number;
      logOdds[i] =
        (logOdds[i] as number) + (votePositive[v] ? Math.log(sens / (1 - spec)) : Math.log((1 - sens) / spec));
    }
    const next = logOdds.map((l, i) => {
      const label = fixed[i];
      return label === undefined ? 1 / (1 + Math.exp(-l)) : label ? 1 : 0;
    });
    let delta = 0;
    next.forEach((t, i) => {
      delta = Math.max(delta, Math.abs(t - (posteriors[i] as number)));
    });
    posteriors = next;
    converged = delta < tolerance;
  }

  const annotators = new Map<string, AnnotatorConfusion>();
  ids.forEach((id, a) => {
    annotators.set(id, {
      sensitivity: sensitivity[a] as number,
      specificity: specificity[a] as number,
      votes: voteCount[a] as number,
    });
  });
  return { posteriors, annotators, positiveRate, iterations, converged };
}

/** Accuracy implied by a confusion matrix at a given positive rate. */
export function confusionAccuracy(confusion: AnnotatorConfusion, positiveRate: number): number {
  return positiveRate * confusion.sensitivity + (1 - positiveRate) * confusion.specificity;
}

function initialPosteriors(
  items: readonly DawidSkeneItem[],
  quality: ReadonlyMap<string, AnnotatorQuality> | undefined,
): number[] {
  return items.map((item) => {
    if (item.label !== undefined) return item.label ? 1 : 0;
    let yes = 0;
    let total = 0;
    const seen = new Set<string>();
    for (const vote of item.votes) {
      if (seen.has(vote.annotatorId)) continue;
      seen.add(vote.annotatorId);
      const weight = quality ? annotatorWeight(quality.get(vote.annotatorId)) : 1;
      total += weight;
      if (vote.positive) yes += weight;
    }
    return total > 0 ? yes / total : 0.5;
  });
}

function clamp(p: number): number {
  return Math.min(1 - EPSILON, Math.max(EPSILON, p));
}

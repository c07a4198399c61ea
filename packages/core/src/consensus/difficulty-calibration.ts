import type { DawidSkeneItem, DawidSkeneResult } from "./dawid-skene.ts";

export interface CalibratedPosteriors {
  /** P(positive) per item, in input order (labelled items keep 0 or 1). */
  posteriors: number[];
  /** Share of items at each difficulty scale (see DIFFICULTY_SCALES). */
  scaleWeights: number[];
  positiveRate: number;
}

/**
 * How an item's difficulty scales every annotator's log-odds of being right: 1 is an item of average
 * difficulty (what Dawid–Skene's per-annotator rates describe), below 1 harder, above 1 easier. A scale
 * parameter, so the grid is geometric: 1/8 … 2 in steps of √2.
 */
export const DIFFICULTY_SCALES: readonly number[] = Array.from({ length: 9 }, (_, i) => 2 ** ((i - 6) / 2));

export interface CalibrationOptions {
  maxIterations?: number;
  /** Dirichlet pseudo-count per scale; default 0.1. */
  smoothing?: number;
}

/**
 * Dawid–Skene treats votes as independent given the label, but errors pile up on hard images: two good
 * annotators who agree are less conclusive than the product of their likelihood ratios says, so DS
 * posteriors come out overconfident exactly where thresholds like 0.99 sit. This keeps DS's learned
 * sensitivity and specificity but lets each item have a difficulty s that scales all its voters'
 * log-odds, P(vote right | class, s) = σ(s · logit(rate)), and fits the distribution of s (and the
 * positive rate) to the unlabelled items by EM. An item's posterior then averages over how hard it
 * may be. Labelled (gold) items keep their label and stay out of the fit: they are not this synset's.
 */
export function calibrateDawidSkene(
  items: readonly DawidSkeneItem[],
  result: DawidSkeneResult,
  options: CalibrationOptions = {},
): CalibratedPosteriors {
  const scales = DIFFICULTY_SCALES;
  const maxIterations = options.maxIterations ?? 200;
  const smoothing = options.smoothing ?? 0.1;
  const open = items.flatMap((item, i) => (item.label === undefined ? [i] : []));
  // logLike[j][c][s]: log P(open item j's votes | class c, scale s), fixed while the mixture is fitted.
  const logLike = open.map((i) => {
    const pos = scales.map(() => 0);
    const neg = scales.map(() => 0);
    const seen = new Set<string>();
    for (const vote of (items[i] as DawidSkeneItem).votes) {
      if (seen.has(vote.annotatorId)) continue;
      seen.add(vote.annotatorId);
      const c = result.annotators.get(vote.annotatorId);
      if (!c) continue;
      const sens = logit(c.sensitivity);
      const spec = logit(c.specificity);
      scales.forEach((s, k) => {
        pos[k] = (pos[k] as number) + logSigmoid(vote.positive ? s * sens : -s * sens);
        neg[k] = (neg[k] as number) + logSigmoid(vote.positive ? -s * spec : s * spec);
      });
    }
    return { pos, neg };
  });

  let positiveRate = result.positiveRate;
  let weights = scales.map(() => 1 / scales.length);
  let openPosteriors = open.map(() => positiveRate);
  let previous = -Infinity;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const totals = scales.map(() => smoothing);
    let positives = 1; // Beta(2, 2) on the positive rate
    let logLikelihood = 0;
    const logPos = scales.map((_, k) => Math.log(positiveRate * (weights[k] as number)));
    const logNeg = scales.map((_, k) => Math.log((1 - positiveRate) * (weights[k] as number)));
    openPosteriors = logLike.map((like) => {
      let max = -Infinity;
      for (let k = 0; k < scales.length; k++) {
        max = Math.max(
          max,
          (logPos[k] as number) + (like.pos[k] as number),
          (logNeg[k] as number) + (like.neg[k] as number),
        );
      }
      let sumPos = 0;
      let total = 0;
      const shares = scales.map((_, k) => {
        const p = Math.exp((logPos[k] as number) + (like.pos[k] as number) - max);
        const n = Math.exp((logNeg[k] as number) + (like.neg[k] as number) - max);
        sumPos += p;
        total += p + n;
        return p + n;
      });
      logLikelihood += max + Math.log(total);
      shares.forEach((share, k) => {
        totals[k] = (totals[k] as number) + share / total;
      });
      positives += sumPos / total;
      return sumPos / total;
    });
    const sum = totals.reduce((a, b) => a + b, 0);
    weights = totals.map((t) => t / sum);
    positiveRate = positives / (open.length + 2);
    if (logLikelihood - previous < 1e-7 * Math.abs(logLikelihood)) break;
    previous = logLikelihood;
  }
  const posteriors: number[] = items.map((item) => (item.label === undefined ? 0 : item.label ? 1 : 0));
  open.forEach((i, j) => {
    posteriors[i] = openPosteriors[j] as number;
  });
  return { posteriors, scaleWeights: weights, positiveRate };
}

function logit(p: number): number {
  return Math.log(p / (1 - p));
}

/** log σ(x), stable for large |x|. */
function logSigmoid(x: number): number {
  return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
}

import { type BetaBinomial, fitBetaBinomial, logPatternLikelihood } from "./beta-binomial.ts";
import { tableCell, weightedVotes } from "./effective-votes.ts";
import { type Rng, sampleWithoutReplacement } from "./random.ts";
import { type AnnotatorQuality, MAX_VOTES_LIMIT, type Vote } from "./types.ts";

/**
 * P(positive | y yes, n no votes) for one synset, estimated from its seed images (ImageNet, section 3.2).
 * Stored per synset and shown to admins, so it is plain JSON.
 */
export interface ConfidenceTable {
  maxVotes: number;
  /** p[y][n] for y + n ≤ maxVotes (row y has maxVotes − y + 1 entries); counts are effective votes. */
  p: number[][];
  /** Seed images that had a majority label and so informed the table. */
  seedImages: number;
  /** Share of those that were positive. */
  positiveRate: number;
  /** Vote weight that counts as one vote: the mean weight of the seed votes (1 when built without quality). */
  unitWeight: number;
}

export interface ConfidenceTableOptions {
  maxVotes: number;
  /** Gold-question quality: weights votes, drops blocked annotators. Without it every vote counts 1. */
  quality?: ReadonlyMap<string, AnnotatorQuality>;
  rng: Rng;
  /** Random k-subsets drawn per seed image and k; default 16. */
  draws?: number;
  /** Weight of the beta-binomial prior per cell, in seed images; default 10. */
  priorStrength?: number;
  /** Least overdispersion the prior assumes (see fitBetaBinomial); default 0.05. */
  minOverdispersion?: number;
}

interface SeedImage {
  weights: number[];
  positives: boolean[];
  label: boolean;
}

/**
 * Labels each seed image by its quality-weighted majority, then, for every k up to maxVotes, draws random
 * k-subsets of its votes and records which (yes, no) pattern each produced and whether the image was
 * positive. A seed of ~30 images cannot show how often a negative image collects five yes votes, so each
 * cell is smoothed towards a beta-binomial model fitted to the same seed; finally the table is made
 * monotone so that one more yes vote can never make an image look less positive.
 */
export function buildConfidenceTable(
  seed: readonly { votes: readonly Vote[] }[],
  options: ConfidenceTableOptions,
): ConfidenceTable {
  const { maxVotes, quality, rng } = options;
  if (!Number.isInteger(maxVotes) || maxVotes < 1 || maxVotes > MAX_VOTES_LIMIT) {
    throw new RangeError(`buildConfidenceTable: maxVotes must be an integer in [1, ${MAX_VOTES_LIMIT}]`);
  }
  const draws = options.draws ?? 16;
  const strength = options.priorStrength ?? 10;

  const counted = seed.map((image) => weightedVotes(image.votes, quality));
  const allWeights = counted.flatMap((votes) => votes.map((v) => v.weight));
  const meanWeight = allWeights.reduce((sum, w) => sum + w, 0) / Math.max(1, allWeights.length);
  const unitWeight = quality && meanWeight > 0 ? meanWeight : 1;

  const images: SeedImage[] = [];
  for (const votes of counted) {
    const margin = votes.reduce((sum, v) => sum + (v.positive ? v.weight : -v.weight), 0);
    if (margin === 0) continue; // a tie teaches nothing about either class
    images.push({
      weights: votes.map((v) => v.weight / unitWeight),
      positives: votes.map((v) => v.positive),
      label: margin > 0,
    });
  }
  const positives = images.filter((image) => image.label).length;
  const prior = (positives + 1) / (images.length + 2);
  const model = fitModels(images);

  const posMass = emptyTable(maxVotes);
  const negMass = emptyTable(maxVotes);
  for (const image of images) {
    const mass = image.label ? posMass : negMass;
    const indices = image.weights.map((_, i) => i);
    for (let k = 0; k <= Math.min(maxVotes, indices.length); k++) {
      // Every subset of size 0 or of all the votes is the same one: drawing it repeatedly adds nothing.
      const times = k === 0 || k === indices.length ? 1 : draws;
      for (let t = 0; t < times; t++) {
        let yes = 0;
        let no = 0;
        for (const i of sampleWithoutReplacement(rng, indices, k)) {
          if (image.positives[i]) yes += image.weights[i] as number;
          else no += image.weights[i] as number;
        }
        const [y, n] = tableCell(yes, no, maxVotes);
        (mass[y] as number[])[n] = ((mass[y] as number[])[n] as number) + 1 / times;
      }
    }
  }

  const logPriorOdds = Math.log(prior / (1 - prior));
  const p = emptyTable(maxVotes).map((row, y) =>
    row.map((_, n) => {
      const logOdds =
        logPriorOdds + logPatternLikelihood(model.positive, y, n) - logPatternLikelihood(model.negative, y, n);
      const modelP = 1 / (1 + Math.exp(-logOdds));
      const pos = (posMass[y] as number[])[n] as number;
      const neg = (negMass[y] as number[])[n] as number;
      return (pos + strength * modelP) / (pos + neg + strength);
    }),
  );
  return {
    maxVotes,
    p: enforceMonotone(p),
    seedImages: images.length,
    positiveRate: images.length > 0 ? positives / images.length : 0,
    unitWeight,
  };

  function fitModels(labelled: readonly SeedImage[]): { positive: BetaBinomial; negative: BetaBinomial } {
    const counts = labelled.map((image) => {
      let yes = 0;
      let no = 0;
      image.weights.forEach((w, i) => {
        if (image.positives[i]) yes += w;
        else no += w;
      });
      return { yes, no, label: image.label };
    });
    // Shrink each class towards the pooled accuracy: annotators are roughly as good on both classes.
    let agree = 0;
    let total = 0;
    for (const c of counts) {
      agree += c.label ? c.yes : c.no;
      total += c.yes + c.no;
    }
    const accuracy = (agree + 1) / (total + 2);
    const fit = { fallbackVotes: 10, minOverdispersion: options.minOverdispersion ?? 0.05 };
    return {
      positive: fitBetaBinomial(
        counts.filter((c) => c.label),
        { ...fit, fallbackMean: accuracy },
      ),
      negative: fitBetaBinomial(
        counts.filter((c) => !c.label),
        { ...fit, fallbackMean: 1 - accuracy },
      ),
    };
  }
}

/** P(positive) for effective counts; counts past the table are scaled into it (see tableCell). */
export function lookup(table: ConfidenceTable, yes: number, no: number): number {
  if (!(yes >= 0 && no >= 0)) throw new RangeError(`lookup: counts must be non-negative, got ${yes}, ${no}`);
  const [y, n] = tableCell(yes, no, table.maxVotes);
  return (table.p[y] as number[])[n] as number;
}

/**
 * Makes p non-decreasing in y and non-increasing in n: the mean of the tightest monotone upper envelope
 * (max over cells with fewer yes and more no) and lower envelope (min over cells with more yes and fewer
 * no). Both envelopes are monotone, so their mean is, and cells that were already in order stay put.
 */
export function enforceMonotone(p: readonly (readonly number[])[]): number[][] {
  const at = (y: number, n: number): number => (p[y] as number[])[n] as number;
  return p.map((row, y) =>
    row.map((_, n) => {
      let upper = -Infinity;
      let lower = Infinity;
      for (let y2 = 0; y2 < p.length; y2++) {
        const width = (p[y2] as number[]).length;
        for (let n2 = 0; n2 < width; n2++) {
          if (y2 <= y && n2 >= n) upper = Math.max(upper, at(y2, n2));
          if (y2 >= y && n2 <= n) lower = Math.min(lower, at(y2, n2));
        }
      }
      return (upper + lower) / 2;
    }),
  );
}

function emptyTable(maxVotes: number): number[][] {
  return Array.from({ length: maxVotes + 1 }, (_, y) => new Array<number>(maxVotes - y + 1).fill(0));
}

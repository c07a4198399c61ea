import { type WeightedVote, weightedVotes } from "./effective-votes.ts";
import { enforceMonotone } from "./monotone.ts";
import { type Rng, sampleWithoutReplacement } from "./random.ts";
import { cellShares } from "./table-cells.ts";
import { type AnnotatorQuality, MAX_VOTES_LIMIT, POLICY_BOUNDS, type Vote } from "./types.ts";
import { type CellCount, fitVoteMixture, mixturePosterior } from "./vote-mixture.ts";

/**
 * P(positive | y yes, n no votes) for one synset, estimated from its seed images (ImageNet, section 3.2).
 * Stored per synset and shown to admins, so it is plain JSON.
 */
export interface ConfidenceTable {
  /** Raw votes per image at most (the policy's maxVotes): k-subsets of seed votes go up to this. */
  maxVotes: number;
  /**
   * p[y][n] for y + n ≤ size, in effective votes (row y has size − y + 1 entries). Good annotators' votes
   * count more than one, so ten of them add up past maxVotes: size defaults to 2 × maxVotes.
   */
  p: number[][];
  /** Seed images that had a majority label and so informed the table. */
  seedImages: number;
  /** The prior P(positive) built into p (fitted to all images' votes when those were given). */
  positiveRate: number;
  /** Vote weight that counts as one vote: the mean weight of all votes seen (1 when built without quality). */
  unitWeight: number;
}

export interface ConfidenceTableOptions {
  maxVotes: number;
  /** Gold-question quality: weights votes, drops blocked annotators. Without it every vote counts 1. */
  quality?: ReadonlyMap<string, AnnotatorQuality>;
  rng: Rng;
  /**
   * Votes so far on the synset's other candidate images. Unlabelled, but thousands of them pin down the
   * positive rate and how noisy votes are far better than 30 seed images can.
   */
  otherImages?: readonly (readonly Vote[])[];
  /** Extent of p in effective votes (y + n ≤ size); default 2 × maxVotes. */
  size?: number;
  /** Random k-subsets drawn per seed image and k; default 16. */
  draws?: number;
  /** Weight of the fitted model in each cell, in images; default: the number of images it was fitted to. */
  priorStrength?: number;
}

interface SeedImage {
  /** Each counted vote's weight in effective votes, and whether it said yes. */
  weights: number[];
  positives: boolean[];
  label: boolean;
  yes: number;
  no: number;
}

/**
 * Labels each seed image by its quality-weighted majority, then, for every k up to maxVotes, draws random
 * k-subsets of its votes and records which (yes, no) cell each lands in and whether the image was positive.
 * A seed of ~30 images cannot show how often a negative image collects four yes votes, and a lucky draw of
 * easy images would make the table overconfident, so each cell is smoothed towards a two-class mixture
 * fitted to the seed and to every other image's votes (see fitVoteMixture). Finally the table is made
 * monotone so that more yes votes never lower P(positive).
 */
export function buildConfidenceTable(
  seed: readonly { votes: readonly Vote[] }[],
  options: ConfidenceTableOptions,
): ConfidenceTable {
  const { maxVotes, quality } = options;
  const bounds = POLICY_BOUNDS.maxVotes;
  if (!Number.isInteger(maxVotes) || maxVotes < bounds.min || maxVotes > bounds.max) {
    throw new RangeError(`buildConfidenceTable: maxVotes must be an integer in [${bounds.min}, ${bounds.max}]`);
  }
  const size = options.size ?? 2 * maxVotes;
  if (!Number.isInteger(size) || size < maxVotes || size > 4 * MAX_VOTES_LIMIT) {
    throw new RangeError(`buildConfidenceTable: size must be an integer in [maxVotes, ${4 * MAX_VOTES_LIMIT}]`);
  }

  const counted = seed.map((image) => weightedVotes(image.votes, quality));
  const others = (options.otherImages ?? []).map((votes) => weightedVotes(votes, quality)).filter((v) => v.length);
  // One effective vote = a typical vote on this synset now (seed and later images alike).
  const all = [...counted, ...others].flat();
  const weightSum = all.reduce((total, vote) => total + vote.weight, 0);
  const unitWeight = quality && weightSum > 0 ? weightSum / all.length : 1;
  const images = labelSeed(counted, unitWeight);

  const cells = new Map<string, CellCount>();
  const addCell = (yes: number, no: number, label: boolean | undefined): void => {
    for (const [y, n, share] of cellShares(yes, no, size)) {
      const key = `${y},${n},${label}`;
      const cell = cells.get(key);
      if (cell) cell.count += share;
      else cells.set(key, label === undefined ? { y, n, count: share } : { y, n, count: share, label });
    }
  };
  for (const image of images) addCell(image.yes, image.no, image.label);
  for (const votes of others) {
    const [yes, no] = totals(
      votes.map((v) => v.weight / unitWeight),
      votes.map((v) => v.positive),
    );
    addCell(yes, no, undefined);
  }
  const model = fitVoteMixture([...cells.values()]);
  // The model rests on every image it was fitted to, while a cell's seed evidence is at most one per seed
  // image and k: weighing the model by its image count lets the seed refine it without a lucky draw of
  // 30 images overruling thousands.
  const strength = options.priorStrength ?? images.length + others.length;
  const mass = seedPatterns(images, model.positiveRate, size, maxVotes, options);
  const p = emptyTable(size).map((row, y) =>
    row.map((_, n) => {
      const pos = (mass.pos[y] as number[])[n] as number;
      const neg = (mass.neg[y] as number[])[n] as number;
      return (pos + strength * mixturePosterior(model, y, n)) / (pos + neg + strength);
    }),
  );
  const positiveRate = model.positiveRate;
  return { maxVotes, p: enforceMonotone(p), seedImages: images.length, positiveRate, unitWeight };
}

/** P(positive) for effective counts, interpolated between cells (see cellShares). */
export function lookup(table: ConfidenceTable, yes: number, no: number): number {
  if (!(yes >= 0 && no >= 0)) throw new RangeError(`lookup: counts must be non-negative, got ${yes}, ${no}`);
  const size = table.p.length - 1;
  let p = 0;
  for (const [y, n, share] of cellShares(yes, no, size)) p += share * ((table.p[y] as number[])[n] as number);
  return p;
}

/** The quality-weighted majority is each seed image's truth, as in ImageNet; a tie teaches nothing. */
function labelSeed(counted: readonly WeightedVote[][], unitWeight: number): SeedImage[] {
  return counted.flatMap((votes) => {
    const weights = votes.map((v) => v.weight / unitWeight);
    const positives = votes.map((v) => v.positive);
    const [yes, no] = totals(weights, positives);
    return yes === no ? [] : [{ weights, positives, label: yes > no, yes, no }];
  });
}

/**
 * Each seed image adds mass 1 per k ≤ maxVotes, split over the cells its random k-subsets land in. Classes
 * are reweighted to the model's positive rate so that data and model agree on the prior.
 */
function seedPatterns(
  images: readonly SeedImage[],
  positiveRate: number,
  size: number,
  maxVotes: number,
  options: ConfidenceTableOptions,
): { pos: number[][]; neg: number[][] } {
  const draws = options.draws ?? 16;
  const pos = emptyTable(size);
  const neg = emptyTable(size);
  const positives = images.filter((image) => image.label).length;
  const classWeight = (label: boolean): number =>
    label
      ? (positiveRate * images.length) / Math.max(1, positives)
      : ((1 - positiveRate) * images.length) / Math.max(1, images.length - positives);
  for (const image of images) {
    const mass = image.label ? pos : neg;
    const weight = classWeight(image.label);
    const indices = image.weights.map((_, i) => i);
    for (let k = 0; k <= Math.min(maxVotes, indices.length); k++) {
      // The only subset of size 0 or of all the votes is the same every time: drawing it again adds nothing.
      const times = k === 0 || k === indices.length ? 1 : draws;
      for (let t = 0; t < times; t++) {
        const subset = sampleWithoutReplacement(options.rng, indices, k);
        const [yes, no] = totals(
          subset.map((i) => image.weights[i] as number),
          subset.map((i) => image.positives[i] as boolean),
        );
        for (const [y, n, share] of cellShares(yes, no, size)) {
          const row = mass[y] as number[];
          row[n] = (row[n] as number) + (share * weight) / times;
        }
      }
    }
  }
  return { pos, neg };
}

function totals(weights: readonly number[], positives: readonly boolean[]): [yes: number, no: number] {
  let yes = 0;
  let no = 0;
  weights.forEach((w, i) => {
    if (positives[i]) yes += w;
    else no += w;
  });
  return [yes, no];
}

function emptyTable(size: number): number[][] {
  return Array.from({ length: size + 1 }, (_, y) => new Array<number>(size - y + 1).fill(0));
}

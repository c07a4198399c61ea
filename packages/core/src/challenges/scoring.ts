import type { ChallengeTruth } from "./ground-truth.ts";
import type { HierarchyCosts } from "./hierarchy.ts";
import { type ChallengeSubmission, MAX_GUESSES } from "./submission.ts";

/**
 * Errors over a set of test images (lower is better), ILSVRC style: for each image, the cost of its best
 * guess among up to 5, averaged over the images.
 * - `top1`: flat error of the first guess only (d = 0 if it is the true class, else 1);
 * - `top5`: flat error, min over the ≤ 5 guesses;
 * - `hier2010`: ILSVRC 2010's hierarchical cost, min over the ≤ 5 guesses of d = height of the lowest
 *   common ancestor of guess and truth (not normalised; see `HierarchyCosts` for the DAG rule);
 * - `hier2011`: ILSVRC 2011's, the same divided by the maximum possible height (the root's), in [0, 1].
 * An image the submission does not predict costs the maximum: 1 for the flat errors, the root's height
 * (1 normalised) for the hierarchical ones. The hierarchical fields are null without a hierarchy.
 */
export interface ChallengeScores {
  /** Test images scored: the denominator. */
  images: number;
  /** Of them, images the submission predicted. */
  predicted: number;
  top1: number;
  top5: number;
  hier2010: number | null;
  hier2011: number | null;
}

export interface ChallengeScoreReport extends ChallengeScores {
  /** Scores over the public images and over the others, when a public mask was given (null if a side is empty). */
  public: ChallengeScores | null;
  private: ChallengeScores | null;
  /** The hierarchy's fingerprint, or null. */
  hierarchy: string | null;
  /** Things a participant should look at (missing images, a class order that looks wrong). */
  warnings: string[];
}

export interface ScoreOptions {
  hierarchy?: HierarchyCosts | null;
  /** 1 for each public test image, aligned with the ground truth (see `choosePublicImages`). */
  publicMask?: Uint8Array | null;
}

/**
 * Scores a parsed submission against its ground truth. One pass over typed arrays; the hierarchical cost is
 * a lookup in the precomputed class × class table.
 */
export function scoreSubmission(
  truth: ChallengeTruth,
  submission: ChallengeSubmission,
  options: ScoreOptions = {},
): ChallengeScoreReport {
  const costs = options.hierarchy ?? null;
  const mask = options.publicMask ?? null;
  const n = truth.size;
  const k = truth.classes.size;
  if (submission.images !== n) throw new Error(`the submission was parsed for ${submission.images} images, not ${n}`);
  if (costs && costs.classCount !== k)
    throw new Error(`the hierarchy costs are for ${costs.classCount} classes, not ${k}`);
  if (mask && mask.length !== n) throw new Error(`the public mask has ${mask.length} entries, not ${n}`);
  // Per group (0 private or everything, 1 public): images, predicted, top-1 wrong, top-5 wrong, hier sum.
  const sums = new Float64Array(10);
  const labels = truth.labels;
  const guesses = submission.guesses;
  const lca = costs?.lca ?? null;
  const maxHeight = costs?.maxHeight ?? 0;
  for (let i = 0; i < n; i++) {
    const g = mask && mask[i] === 1 ? 5 : 0;
    const t = labels[i] as number;
    const base = i * MAX_GUESSES;
    sums[g] = (sums[g] as number) + 1;
    const first = guesses[base] as number;
    if (first < 0) {
      sums[g + 2] = (sums[g + 2] as number) + 1;
      sums[g + 3] = (sums[g + 3] as number) + 1;
      sums[g + 4] = (sums[g + 4] as number) + maxHeight;
      continue;
    }
    sums[g + 1] = (sums[g + 1] as number) + 1;
    if (first !== t) sums[g + 2] = (sums[g + 2] as number) + 1;
    let hit = false;
    let best = maxHeight;
    const row = t * k;
    for (let j = 0; j < MAX_GUESSES; j++) {
      const guess = guesses[base + j] as number;
      if (guess < 0) break;
      if (guess === t) {
        hit = true;
        best = 0;
        break;
      }
      if (lca) {
        const h = lca[row + guess] as number;
        if (h < best) best = h;
      }
    }
    if (!hit) sums[g + 3] = (sums[g + 3] as number) + 1;
    sums[g + 4] = (sums[g + 4] as number) + best;
  }
  const group = (g: number): ChallengeScores | null => {
    const images = sums[g] as number;
    if (images === 0) return null;
    const hier2010 = costs ? (sums[g + 4] as number) / images : null;
    return {
      images,
      predicted: sums[g + 1] as number,
      top1: (sums[g + 2] as number) / images,
      top5: (sums[g + 3] as number) / images,
      hier2010,
      hier2011: hier2010 === null ? null : maxHeight === 0 ? 0 : hier2010 / maxHeight,
    };
  };
  const privateScores = group(0);
  const publicScores = group(5);
  const all = combine(privateScores, publicScores, maxHeight);
  const warnings: string[] = [];
  const missing = n - submission.predicted;
  if (missing > 0) warnings.push(`${missing} of ${n} test images have no prediction; they count as wrong`);
  const order = diagnoseClassOrder(truth, submission);
  if (order.warning) warnings.push(order.warning);
  return {
    ...all,
    public: mask ? publicScores : null,
    private: mask ? privateScores : null,
    hierarchy: costs?.fingerprint ?? null,
    warnings,
  };
}

function combine(a: ChallengeScores | null, b: ChallengeScores | null, maxHeight: number): ChallengeScores {
  const parts = [a, b].filter((s): s is ChallengeScores => s !== null);
  const images = parts.reduce((sum, s) => sum + s.images, 0);
  const mean = (pick: (s: ChallengeScores) => number | null): number | null => {
    if (images === 0) return 0;
    let total = 0;
    for (const s of parts) {
      const v = pick(s);
      if (v === null) return null;
      total += v * s.images;
    }
    return total / images;
  };
  const hier2010 = mean((s) => s.hier2010);
  return {
    images,
    predicted: parts.reduce((sum, s) => sum + s.predicted, 0),
    top1: mean((s) => s.top1) as number,
    top5: mean((s) => s.top5) as number,
    hier2010,
    hier2011: hier2010 === null ? null : maxHeight === 0 ? 0 : hier2010 / maxHeight,
  };
}

export interface ClassOrderDiagnosis {
  /** Top-5 error with the indices read as the published class list (how it is scored). */
  published: number;
  /** Top-5 error if index j meant the j-th wnid in sorted order (1-based), or null when not applicable. */
  sortedFromOne: number | null;
  /** Top-5 error if index j meant the (j+1)-th wnid in sorted order (0-based, shifted), or null. */
  sortedFromZero: number | null;
  /** A sentence for the participant when another reading scores much better, else null. */
  warning: string | null;
}

/**
 * Recognises a submission written in the wrong class order. Class indices mean the challenge's published list
 * (ILSVRC-2012: ILSVRC2012_ID of map_clsloc.txt), but most frameworks number classes 0..K-1 in sorted-wnid
 * order. A 0 is refused by the parsers; this re-reads an index-only submission in sorted-wnid order (from 1,
 * and from 0 shifted by one) and warns when that makes the top-5 error fall by at least half and by 0.2.
 */
export function diagnoseClassOrder(truth: ChallengeTruth, submission: ChallengeSubmission): ClassOrderDiagnosis {
  const classes = truth.classes;
  const published = top5Error(truth, submission.guesses, null, 0);
  const none: ClassOrderDiagnosis = { published, sortedFromOne: null, sortedFromZero: null, warning: null };
  if (!submission.byIndex || !classes.published || classes.isSorted() || submission.predicted === 0) return none;
  const sorted = classes.sortedOrder();
  const k = classes.size;
  let maxPosition = -1;
  for (const g of submission.guesses) if (g > maxPosition) maxPosition = g;
  const sortedFromOne = top5Error(truth, submission.guesses, sorted, 0);
  const sortedFromZero = maxPosition < k - 1 ? top5Error(truth, submission.guesses, sorted, 1) : null;
  const bestAlternative = Math.min(sortedFromOne, sortedFromZero ?? Number.POSITIVE_INFINITY);
  let warning: string | null = null;
  if (bestAlternative <= published / 2 && published - bestAlternative >= 0.2) {
    const how =
      bestAlternative === sortedFromOne
        ? "sorted-wnid order counted from 1"
        : "sorted-wnid order counted from 0, plus one";
    warning =
      `the class indices look like a framework's sorted-wnid numbering: top-5 error ${published.toFixed(4)} as ` +
      `the challenge's class list, ${bestAlternative.toFixed(4)} if read in ${how}. Indices must be positions ` +
      `1..${k} of the challenge's class list (for ILSVRC-2012, ILSVRC2012_ID of map_clsloc.txt); map your ` +
      "outputs through wnids, or write wnids (CSV, JSONL)";
  }
  return { published, sortedFromOne, sortedFromZero, warning };
}

/** Top-5 error with each guess position p read as `remap[p + shift]` (remap null: as is). */
function top5Error(truth: ChallengeTruth, guesses: Int32Array, remap: Int32Array | null, shift: number): number {
  const n = truth.size;
  if (n === 0) return 0;
  let wrong = 0;
  for (let i = 0; i < n; i++) {
    const t = truth.labels[i] as number;
    let hit = false;
    for (let j = 0; j < MAX_GUESSES; j++) {
      const g = guesses[i * MAX_GUESSES + j] as number;
      if (g < 0) break;
      if ((remap ? (remap[g + shift] as number) : g) === t) {
        hit = true;
        break;
      }
    }
    if (!hit) wrong++;
  }
  return wrong / n;
}

export interface ClassScore {
  /** 1-based class index in the challenge's class list. */
  index: number;
  wnid: string;
  name: string;
  images: number;
  top1: number;
  top5: number;
}

export interface ConfusedPair {
  truth: string;
  predicted: string;
  /** Images of class `truth` whose first guess was `predicted`. */
  count: number;
}

export interface ClassBreakdown {
  /** Every class with at least one test image, in class-index order. */
  perClass: ClassScore[];
  /** The most frequent (truth, first guess) pairs with truth ≠ guess, most frequent first. */
  confusions: ConfusedPair[];
}

/** Per-class top-1/top-5 error (missing images count as wrong) and the top confused pairs. */
export function classBreakdown(
  truth: ChallengeTruth,
  submission: ChallengeSubmission,
  options: { topConfusions?: number } = {},
): ClassBreakdown {
  const k = truth.classes.size;
  const images = new Int32Array(k);
  const top1Wrong = new Int32Array(k);
  const top5Wrong = new Int32Array(k);
  const pairs = new Map<number, number>();
  for (let i = 0; i < truth.size; i++) {
    const t = truth.labels[i] as number;
    images[t] = (images[t] as number) + 1;
    const base = i * MAX_GUESSES;
    const first = submission.guesses[base] as number;
    if (first !== t) {
      top1Wrong[t] = (top1Wrong[t] as number) + 1;
      if (first >= 0) pairs.set(t * k + first, (pairs.get(t * k + first) ?? 0) + 1);
    }
    let hit = false;
    for (let j = 0; j < MAX_GUESSES && !hit; j++) hit = submission.guesses[base + j] === t;
    if (!hit) top5Wrong[t] = (top5Wrong[t] as number) + 1;
  }
  const { wnids, names } = truth.classes;
  const perClass: ClassScore[] = [];
  for (let c = 0; c < k; c++) {
    const count = images[c] as number;
    if (count === 0) continue;
    perClass.push({
      index: c + 1,
      wnid: wnids[c] as string,
      name: names[c] ?? "",
      images: count,
      top1: (top1Wrong[c] as number) / count,
      top5: (top5Wrong[c] as number) / count,
    });
  }
  const confusions = [...pairs]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, options.topConfusions ?? 20)
    .map(([key, count]) => ({
      truth: wnids[Math.floor(key / k)] as string,
      predicted: wnids[key % k] as string,
      count,
    }));
  return { perClass, confusions };
}

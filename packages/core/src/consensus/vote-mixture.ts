/** How many images landed in table cell (y, n) (fractional: see cellShares); seed images carry a label. */
export interface CellCount {
  y: number;
  n: number;
  count: number;
  label?: boolean;
}

/**
 * A synset's votes as a two-class mixture over image difficulty: an image at level q gets each (effective)
 * yes vote with probability q if positive and 1 − q if negative, and `weights[i]` is the share of images at
 * `levels[i]`. Levels lie above 0.5: on every image the crowd is right more often than not, which is also
 * what makes an image's majority label its truth (ImageNet's seed labels are majorities).
 */
export interface VoteMixture {
  positiveRate: number;
  levels: number[];
  weights: number[];
}

export interface VoteMixtureOptions {
  /** EM iterations at most; default 500. */
  maxIterations?: number;
  /** Dirichlet pseudo-count per level, keeping some mass on hard images a small sample never showed; default 0.05. */
  smoothing?: number;
}

/** P(yes) levels 0.51, 0.53, … 0.99: fine enough for ≤ 50 votes, coarse enough to fit fast. */
export const DIFFICULTY_LEVELS: readonly number[] = Array.from({ length: 25 }, (_, i) => 0.51 + 0.02 * i);

/**
 * Fits the positive rate and the difficulty distribution to every image's votes so far by EM (a smoothed
 * nonparametric maximum-likelihood mixture). Difficulty is shared by both classes: with class-specific
 * distributions, a split-vote image could be a hard positive or a hard negative and the fit cannot tell
 * which, so the rarer class soaks up hard images and looks noisier than it is. Adaptive stopping does
 * not bias the fit (the likelihood ignores why an image stopped getting votes), and thousands of
 * unlabelled images make it far steadier than 30 seed images; the seed's labels anchor the classes.
 */
export function fitVoteMixture(cells: readonly CellCount[], options: VoteMixtureOptions = {}): VoteMixture {
  const levels = [...DIFFICULTY_LEVELS];
  const maxIterations = options.maxIterations ?? 500;
  const smoothing = options.smoothing ?? 0.05;
  const logLike = cells.map((cell) => ({
    pos: levels.map((q) => cell.y * Math.log(q) + cell.n * Math.log(1 - q)),
    neg: levels.map((q) => cell.y * Math.log(1 - q) + cell.n * Math.log(q)),
  }));
  let positiveRate = 0.5;
  let weights = levels.map(() => 1 / levels.length);
  let previous = -Infinity;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const totals = levels.map(() => smoothing);
    let positives = 1; // Beta(2, 2) on the positive rate: one pseudo-image of each class
    let images = 2;
    let logLikelihood = 0;
    cells.forEach((cell, c) => {
      const like = logLike[c] as { pos: number[]; neg: number[] };
      const max = Math.max(...like.pos, ...like.neg);
      let sumPos = 0;
      let total = 0;
      const shares = levels.map((_, i) => {
        const w = weights[i] as number;
        const p = cell.label === false ? 0 : positiveRate * w * Math.exp((like.pos[i] as number) - max);
        const n = cell.label === true ? 0 : (1 - positiveRate) * w * Math.exp((like.neg[i] as number) - max);
        sumPos += p;
        total += p + n;
        return p + n;
      });
      if (!(total > 0)) return;
      logLikelihood += cell.count * (Math.log(total) + max);
      shares.forEach((share, i) => {
        totals[i] = (totals[i] as number) + (cell.count * share) / total;
      });
      positives += (cell.count * sumPos) / total;
      images += cell.count;
    });
    positiveRate = positives / images;
    const sum = totals.reduce((s, v) => s + v, 0);
    weights = totals.map((v) => v / sum);
    if (logLikelihood - previous < 1e-8 * Math.max(1, Math.abs(logLikelihood))) break;
    previous = logLikelihood;
  }
  return { positiveRate, levels, weights };
}

/** P(positive | y yes, n no effective votes) under a fitted mixture. */
export function mixturePosterior(mixture: VoteMixture, y: number, n: number): number {
  const pos = mixture.levels.map(
    (q, i) => Math.log(mixture.weights[i] as number) + y * Math.log(q) + n * Math.log(1 - q),
  );
  const neg = mixture.levels.map(
    (q, i) => Math.log(mixture.weights[i] as number) + y * Math.log(1 - q) + n * Math.log(q),
  );
  const logOdds = Math.log(mixture.positiveRate / (1 - mixture.positiveRate)) + logSumExp(pos) - logSumExp(neg);
  return 1 / (1 + Math.exp(-logOdds));
}

function logSumExp(values: readonly number[]): number {
  const max = Math.max(...values);
  return max + Math.log(values.reduce((s, v) => s + Math.exp(v - max), 0));
}

/**
 * Turning a model's raw scores into calibrated probabilities P(positive | score), fitted on a campaign's
 * random seed set against its human decisions. Stored on the campaign and shown to admins, so a
 * Calibrator is plain JSON.
 */
export type Calibrator =
  /** Pool-adjacent violators: block means ys at block mean scores xs (xs strictly increasing). */
  | { kind: "isotonic"; xs: number[]; ys: number[] }
  /** Platt scaling: P(positive | s) = σ(a·s + b). */
  | { kind: "platt"; a: number; b: number };

export interface ReliabilityBin {
  /** The bin's range of calibrated probability, [lo, hi) (the last bin includes 1). */
  lo: number;
  hi: number;
  count: number;
  /** Mean calibrated probability of the bin's points. */
  meanPredicted: number;
  /** Share of the bin's points that were positive. */
  observed: number;
}

/**
 * No calibrated prior is certain: 0.001 keeps a prior's odds within 999:1 either way, so votes can still
 * overturn it (a unanimous four-vote table cell is worth far more than 999:1 against), and auto-accept rests
 * on its own bound rather than on a prior of 1.
 */
export const CALIBRATED_MIN = 0.001;
export const CALIBRATED_MAX = 0.999;

/**
 * Isotonic regression has one free value per block, so on a small seed its steps rest on a handful of points
 * each and overfit; Platt's two parameters are steadier there (Niculescu-Mizil & Caruana 2005 find isotonic
 * worse than Platt on scarce calibration data). 100 points is where a typical seed gives isotonic blocks of
 * ten or more.
 */
export const ISOTONIC_MIN_POINTS = 100;

/**
 * Pool-adjacent violators on (score, label): sort by score, give tied scores one block (equal scores must get
 * equal probabilities), then merge neighbouring blocks while a block's positive rate exceeds the next one's.
 * Each block is stored at its mean score with its positive rate; see calibrate for how values in between are
 * read.
 */
export function fitIsotonic(scores: readonly number[], labels: readonly boolean[]): Calibrator {
  checkPoints("fitIsotonic", scores, labels);
  const order = scores.map((_, i) => i).sort((i, j) => (scores[i] as number) - (scores[j] as number));
  interface Block {
    sumX: number;
    sumY: number;
    weight: number;
  }
  const stack: Block[] = [];
  let last = Number.NaN;
  for (const i of order) {
    const x = scores[i] as number;
    const y = labels[i] ? 1 : 0;
    const top = stack[stack.length - 1];
    if (top && x === last) {
      top.sumX += x;
      top.sumY += y;
      top.weight += 1;
    } else {
      stack.push({ sumX: x, sumY: y, weight: 1 });
    }
    last = x;
    // Merge backwards while the order is violated (strictly: equal neighbours are already monotone).
    while (stack.length >= 2) {
      const b = stack[stack.length - 1] as Block;
      const a = stack[stack.length - 2] as Block;
      if (a.sumY / a.weight <= b.sumY / b.weight) break;
      stack.pop();
      a.sumX += b.sumX;
      a.sumY += b.sumY;
      a.weight += b.weight;
    }
  }
  // Tied scores always join the top block, so no tie group is ever split between two blocks.
  return { kind: "isotonic", xs: stack.map((b) => b.sumX / b.weight), ys: stack.map((b) => b.sumY / b.weight) };
}

/**
 * Platt scaling (Platt 1999) by Newton's method with a backtracking line search (Lin, Lin & Weng 2007).
 * Labels are replaced by Platt's targets (N₊ + 1)/(N₊ + 2) and 1/(N₋ + 2), so a seed whose classes are
 * separable does not drive a to infinity, and a one-class seed gives a finite constant (a = 0).
 */
export function fitPlatt(scores: readonly number[], labels: readonly boolean[]): Calibrator {
  checkPoints("fitPlatt", scores, labels);
  const positives = labels.filter(Boolean).length;
  const negatives = labels.length - positives;
  const hi = (positives + 1) / (positives + 2);
  const lo = 1 / (negatives + 2);
  const targets = labels.map((label) => (label ? hi : lo));
  const loss = (a: number, b: number): number => {
    let total = 0;
    scores.forEach((s, i) => {
      const z = a * s + b;
      total += softplus(z) - (targets[i] as number) * z;
    });
    return total;
  };
  let a = 0;
  let b = Math.log((positives + 1) / (negatives + 1));
  let current = loss(a, b);
  for (let iteration = 0; iteration < 100; iteration++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-12; // a tiny ridge keeps the Hessian invertible when every score is the same
    let hab = 0;
    let hbb = 1e-12;
    scores.forEach((s, i) => {
      const p = sigmoid(a * s + b);
      const r = p - (targets[i] as number);
      const w = p * (1 - p);
      ga += r * s;
      gb += r;
      haa += w * s * s;
      hab += w * s;
      hbb += w;
    });
    if (Math.abs(ga) < 1e-10 && Math.abs(gb) < 1e-10) break;
    const det = haa * hbb - hab * hab;
    const da = -(hbb * ga - hab * gb) / det;
    const db = -(haa * gb - hab * ga) / det;
    const slope = ga * da + gb * db; // directional derivative, negative for a descent step
    let step = 1;
    let next = loss(a + da, b + db);
    while (next > current + 1e-4 * step * slope && step > 1e-10) {
      step /= 2;
      next = loss(a + step * da, b + step * db);
    }
    if (step <= 1e-10) break; // no further progress possible in floating point
    a += step * da;
    b += step * db;
    const improvement = current - next;
    current = next;
    if (improvement < 1e-14 * Math.max(1, Math.abs(current))) break;
  }
  return { kind: "platt", a, b };
}

/** Isotonic from ISOTONIC_MIN_POINTS labelled points on (more data, no shape assumed), Platt below. */
export function fitCalibrator(scores: readonly number[], labels: readonly boolean[]): Calibrator {
  return scores.length >= ISOTONIC_MIN_POINTS ? fitIsotonic(scores, labels) : fitPlatt(scores, labels);
}

/**
 * P(positive | score), clamped to [CALIBRATED_MIN, CALIBRATED_MAX]. Isotonic is read piecewise linearly
 * between neighbouring block means and flat beyond the first and last: a step function would give every
 * score of a block the same prior, so a hair's difference in score could jump the prior by a whole step and
 * hundreds of items would tie in uncertainty ordering; linear interpolation between points with strictly
 * increasing xs and non-decreasing ys stays monotone non-decreasing and is continuous (scikit-learn's
 * IsotonicRegression also interpolates linearly).
 */
export function calibrate(c: Calibrator, score: number): number {
  if (!Number.isFinite(score)) throw new RangeError(`calibrate: score must be a finite number, got ${score}`);
  return clamp(raw(c, score));
}

/**
 * How well the calibrator's probabilities match what happened: points binned by calibrated probability into
 * `bins` equal-width bins over [0, 1]; empty bins are left out (they have no mean to plot).
 */
export function reliabilityCurve(
  scores: readonly number[],
  labels: readonly boolean[],
  c: Calibrator,
  bins = 10,
): ReliabilityBin[] {
  if (scores.length !== labels.length) {
    throw new RangeError(`reliabilityCurve: ${scores.length} scores but ${labels.length} labels`);
  }
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`reliabilityCurve: bins must be an integer ≥ 1`);
  const sums = Array.from({ length: bins }, () => ({ count: 0, predicted: 0, positive: 0 }));
  scores.forEach((score, i) => {
    const p = calibrate(c, score);
    const bin = sums[Math.min(bins - 1, Math.floor(p * bins))] as (typeof sums)[number];
    bin.count++;
    bin.predicted += p;
    if (labels[i]) bin.positive++;
  });
  return sums.flatMap((s, i) =>
    s.count === 0
      ? []
      : [
          {
            lo: i / bins,
            hi: (i + 1) / bins,
            count: s.count,
            meanPredicted: s.predicted / s.count,
            observed: s.positive / s.count,
          },
        ],
  );
}

function raw(c: Calibrator, score: number): number {
  if (c.kind === "platt") return sigmoid(c.a * score + c.b);
  const { xs, ys } = c;
  const n = xs.length;
  if (n === 0 || ys.length !== n)
    throw new RangeError("calibrate: an isotonic calibrator needs equal, non-empty xs and ys");
  if (score <= (xs[0] as number)) return ys[0] as number;
  if (score >= (xs[n - 1] as number)) return ys[n - 1] as number;
  // Binary search for the segment xs[lo] < score < xs[hi] … (ends handled above).
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((xs[mid] as number) <= score) lo = mid;
    else hi = mid;
  }
  const x0 = xs[lo] as number;
  const x1 = xs[hi] as number;
  const y0 = ys[lo] as number;
  const y1 = ys[hi] as number;
  return y0 + ((y1 - y0) * (score - x0)) / (x1 - x0);
}

function checkPoints(name: string, scores: readonly number[], labels: readonly boolean[]): void {
  if (scores.length !== labels.length)
    throw new RangeError(`${name}: ${scores.length} scores but ${labels.length} labels`);
  if (scores.length === 0) throw new RangeError(`${name}: no labelled points to fit`);
  const bad = scores.find((s) => !Number.isFinite(s));
  if (bad !== undefined) throw new RangeError(`${name}: scores must be finite numbers, got ${bad}`);
}

const clamp = (p: number): number => Math.min(CALIBRATED_MAX, Math.max(CALIBRATED_MIN, p));

function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** log(1 + eᶻ) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

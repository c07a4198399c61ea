/**
 * Beta-binomial vote model: each image of a class has its own P(yes) drawn from Beta(a, b), so votes on a
 * hard image agree less than a plain binomial would predict. The confidence table uses it as the smoothing
 * prior for vote patterns that a small seed set never shows (e.g. five yes votes on a negative image).
 */
export interface BetaBinomial {
  a: number;
  b: number;
}

export interface FitOptions {
  /** Mean to shrink towards when a class has few votes (e.g. the pooled accuracy of both classes). */
  fallbackMean: number;
  /** Weight of the fallback mean, in votes. */
  fallbackVotes: number;
  /** Least intra-class correlation assumed: a 30-image seed cannot rule out that some images are hard. */
  minOverdispersion: number;
}

const MAX_OVERDISPERSION = 0.5;

/** Method-of-moments fit from per-image (possibly fractional) yes/no counts. */
export function fitBetaBinomial(images: readonly { yes: number; no: number }[], options: FitOptions): BetaBinomial {
  let yes = 0;
  let total = 0;
  for (const image of images) {
    yes += image.yes;
    total += image.yes + image.no;
  }
  const mean = (yes + options.fallbackMean * options.fallbackVotes) / (total + options.fallbackVotes);
  let rho = options.minOverdispersion;
  const used = images.filter((image) => image.yes + image.no > 0);
  const meanVotes = used.length > 0 ? total / used.length : 0;
  if (used.length >= 2 && meanVotes > 1) {
    let spread = 0;
    for (const image of used) spread += (image.yes / (image.yes + image.no) - mean) ** 2;
    const variance = spread / (used.length - 1);
    // Var(yes fraction) = μ(1 − μ)(1 + (k − 1)ρ) / k for a beta-binomial with k votes.
    const estimate = ((variance * meanVotes) / (mean * (1 - mean)) - 1) / (meanVotes - 1);
    rho = Math.min(MAX_OVERDISPERSION, Math.max(options.minOverdispersion, estimate));
  }
  const concentration = (1 - rho) / rho;
  return { a: mean * concentration, b: (1 - mean) * concentration };
}

/** log P(a given sequence of y yes and n no votes), up to the binomial coefficient (it cancels in ratios). */
export function logPatternLikelihood(model: BetaBinomial, y: number, n: number): number {
  return logBeta(y + model.a, n + model.b) - logBeta(model.a, model.b);
}

export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

// Lanczos approximation (g = 7, n = 9): ~15 significant digits for positive arguments.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0] as number;
  for (let i = 1; i < LANCZOS.length; i++) sum += (LANCZOS[i] as number) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

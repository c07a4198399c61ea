export type UncertaintyMeasure = "least-confidence" | "margin" | "entropy";
export type ItemOrdering = "random" | "uncertain" | "likely_positive";

/**
 * How unsure P(positive) = p is, for a yes/no question (Settles 2009, §3.1): least confidence 1 − max(p, 1 − p)
 * in [0, 0.5]; margin 1 − |p − (1 − p)| in [0, 1]; entropy −p log₂ p − (1 − p) log₂(1 − p) in bits, [0, 1].
 * With two classes all three fall as |p − 0.5| grows, so they hand items out in the same order; they differ
 * only in the number stored.
 */
export function uncertainty(p: number, measure: UncertaintyMeasure): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`uncertainty: p must be in [0, 1], got ${p}`);
  switch (measure) {
    case "least-confidence":
      return 1 - Math.max(p, 1 - p);
    case "margin":
      return 1 - Math.abs(2 * p - 1);
    case "entropy":
      return p === 0 || p === 1 ? 0 : -(p * Math.log2(p) + (1 - p) * Math.log2(1 - p));
  }
}

/**
 * A campaign item's ordering key, lowest handed out first (stored, so ordering is one indexed query):
 * uncertain → −uncertainty(prior), likely_positive → −prior, random → `random` (a seeded number in [0, 1)).
 * An item without a prior (no score, or no calibration yet) gets `random`: uncertainty and −prior are ≤ 0,
 * so under a model ordering such items come after every item with a prior, in random order among themselves.
 * Ties (equal priors) fall back to the database's order.
 */
export function orderingPriority(
  ordering: ItemOrdering,
  prior: number | null,
  random: number,
  measure: UncertaintyMeasure = "least-confidence",
): number {
  if (!(random >= 0 && random < 1)) throw new RangeError(`orderingPriority: random must be in [0, 1), got ${random}`);
  if (prior === null || ordering === "random") return random;
  if (!(prior >= 0 && prior <= 1)) throw new RangeError(`orderingPriority: prior must be in [0, 1], got ${prior}`);
  return ordering === "uncertain" ? -uncertainty(prior, measure) : -prior;
}

/**
 * Confident learning (Northcutt, Jiang & Chuang 2021): a class's threshold is the model's mean predicted
 * probability of that class over the items labelled with it, and an item is a likely label error when the
 * model's (out-of-sample) probability of its given class is below that class's threshold while some other
 * class is at or above its own.
 */
export interface ClassProbabilities {
  givenClass: string;
  /**
   * The model's probabilities (its stored top-k). A class missing from the map counts as 0: it was below the
   * k-th probability, and 0 is the reading that flags least.
   */
  probs: ReadonlyMap<string, number>;
}

export interface LabelErrorCandidate<Id> {
  id: Id;
  givenClass: string;
  givenProbability: number;
  /** The other class at or above its threshold with the highest probability. */
  suggestedClass: string;
  suggestedProbability: number;
  /** suggestedProbability − givenProbability: how strongly the model disagrees. */
  margin: number;
}

/** t_c = mean of p(c) over the items labelled c; a class nobody is labelled with gets no threshold. */
export function classThresholds(rows: readonly ClassProbabilities[]): Map<string, number> {
  const sums = new Map<string, { total: number; count: number }>();
  for (const row of rows) {
    const sum = sums.get(row.givenClass) ?? { total: 0, count: 0 };
    sum.total += probability(row, row.givenClass);
    sum.count++;
    sums.set(row.givenClass, sum);
  }
  return new Map([...sums].map(([c, s]) => [c, s.total / s.count]));
}

/**
 * The likely label errors among `rows`, largest margin first (ties keep the input order). A row whose given
 * class has no threshold is skipped: there is nothing to compare it with.
 */
export function likelyLabelErrors<Id>(
  rows: readonly (ClassProbabilities & { id: Id })[],
  thresholds: ReadonlyMap<string, number>,
): LabelErrorCandidate<Id>[] {
  const out: LabelErrorCandidate<Id>[] = [];
  for (const row of rows) {
    const own = thresholds.get(row.givenClass);
    if (own === undefined) continue;
    const givenProbability = probability(row, row.givenClass);
    if (givenProbability >= own) continue;
    let suggested: { c: string; p: number } | null = null;
    for (const [c, p] of row.probs) {
      if (c === row.givenClass) continue;
      const threshold = thresholds.get(c);
      if (threshold === undefined || probability(row, c) < threshold) continue;
      if (!suggested || p > suggested.p) suggested = { c, p };
    }
    if (!suggested) continue;
    out.push({
      id: row.id,
      givenClass: row.givenClass,
      givenProbability,
      suggestedClass: suggested.c,
      suggestedProbability: suggested.p,
      margin: suggested.p - givenProbability,
    });
  }
  return out.sort((a, b) => b.margin - a.margin);
}

function probability(row: ClassProbabilities, c: string): number {
  const p = row.probs.get(c) ?? 0;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`confident learning: probability of ${c} must be in [0, 1], got ${p}`);
  return p;
}

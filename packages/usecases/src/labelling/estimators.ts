import {
  type AnnotatorQuality,
  type ConfidenceTable,
  calibrateDawidSkene,
  type Decision,
  dawidSkene,
  decide,
  decideWithPrior,
  decisionFor,
  type PriorPolicy,
  posteriorWithPrior,
  type Vote,
} from "@arbor/core";

export interface Estimate {
  decision: Decision;
  probability: number;
}

/** Gold answers of a campaign: items whose label is known, with the votes annotators gave them. */
export type GoldItems = ReadonlyMap<number, { votes: Vote[]; label: boolean }>;

/**
 * Decides every image of `votes` with the campaign's estimator: ImageNet's confidence table (each image
 * on its own votes), or Dawid–Skene over all of them at once, gold answers as fixed labels, posteriors
 * calibrated for image difficulty, under the same threshold rule. `remaining` (annotators who could still
 * vote on each image) makes an image nobody can vote on any more ambiguous instead of pending. `priors`
 * (calibrated model priors of the images that have one) replace the synset's base rate in either
 * estimator's posterior, in odds (posteriorWithPrior); the threshold rule and target stay the same. With the
 * table, an image with a prior may be decided from policy.minVotesWithPrior votes on (decideWithPrior); with
 * Dawid–Skene, minVotes holds for every image (decisionFor knows no prior).
 */
export function estimateAll(
  estimator: "adaptive" | "dawid-skene",
  votes: ReadonlyMap<number, Vote[]>,
  context: {
    table: ConfidenceTable;
    /** With minVotesWithPrior: the fewest votes a sure prior may decide on (the table; see decideWithPrior). */
    policy: PriorPolicy;
    quality: ReadonlyMap<string, AnnotatorQuality>;
    gold: GoldItems;
    remaining?: ReadonlyMap<number, number>;
    priors?: ReadonlyMap<number, number>;
  },
): Map<number, Estimate> {
  const { remaining, priors } = context;
  const ids = [...votes.keys()].filter((id) => (votes.get(id) ?? []).length > 0);
  if (estimator === "adaptive") {
    return new Map(
      ids.map((id) => {
        const prior = priors?.get(id);
        const list = votes.get(id) ?? [];
        const { table, policy, quality } = context;
        return [
          id,
          prior === undefined
            ? decide(list, table, policy, quality, remaining?.get(id))
            : decideWithPrior(list, table, policy, prior, quality, remaining?.get(id)),
        ];
      }),
    );
  }
  const items = [...ids.map((id) => ({ votes: votes.get(id) ?? [] })), ...context.gold.values()];
  const { posteriors, positiveRate } = calibrateDawidSkene(items, dawidSkene(items, { quality: context.quality }));
  return new Map(
    ids.map((id, i) => {
      // The posterior has the fitted positive rate built in, as the table has its base rate: swapped the same way.
      const prior = priors?.get(id);
      const posterior = posteriors[i] as number;
      const probability = prior === undefined ? posterior : posteriorWithPrior(posterior, positiveRate, prior);
      const count = (votes.get(id) ?? []).length;
      return [id, { decision: decisionFor(probability, count, context.policy, remaining?.get(id)), probability }];
    }),
  );
}

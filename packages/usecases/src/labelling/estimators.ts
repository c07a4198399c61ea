import {
  type AnnotatorQuality,
  type ConfidenceTable,
  type ConsensusPolicy,
  calibrateDawidSkene,
  type Decision,
  dawidSkene,
  decide,
  decisionFor,
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
 * vote on each image) makes an image nobody can vote on any more ambiguous instead of pending.
 */
export function estimateAll(
  estimator: "adaptive" | "dawid-skene",
  votes: ReadonlyMap<number, Vote[]>,
  context: {
    table: ConfidenceTable;
    policy: ConsensusPolicy;
    quality: ReadonlyMap<string, AnnotatorQuality>;
    gold: GoldItems;
    remaining?: ReadonlyMap<number, number>;
  },
): Map<number, Estimate> {
  const { remaining } = context;
  const ids = [...votes.keys()].filter((id) => (votes.get(id) ?? []).length > 0);
  if (estimator === "adaptive") {
    return new Map(
      ids.map((id) => [
        id,
        decide(votes.get(id) ?? [], context.table, context.policy, context.quality, remaining?.get(id)),
      ]),
    );
  }
  const items = [...ids.map((id) => ({ votes: votes.get(id) ?? [] })), ...context.gold.values()];
  const { posteriors } = calibrateDawidSkene(items, dawidSkene(items, { quality: context.quality }));
  return new Map(
    ids.map((id, i) => {
      const probability = posteriors[i] as number;
      const count = (votes.get(id) ?? []).length;
      return [id, { decision: decisionFor(probability, count, context.policy, remaining?.get(id)), probability }];
    }),
  );
}

import type { AnnotatorPool } from "@arbor/usecases";

/**
 * What a policy asks of the annotator pool, in words, for the new-campaign form: every annotator votes once
 * per image, so the seed needs seedVotes distinct annotators and an image at most maxVotes. The same rule as
 * poolPlan in @arbor/core (which browser code cannot import): the seed is lowered to the pool, never below
 * `seedMinimum`; an image still undecided when everyone has voted on it goes to review.
 */
export function poolHint(
  policy: { seedVotes: number; maxVotes: number; minVotes: number },
  pool: AnnotatorPool,
  seedMinimum: number,
): { needs: string; consequences: string[]; blocked: boolean } {
  const { annotators, active, activeDays } = pool;
  const have = `${annotators === 1 ? "there is 1 annotator" : `there are ${annotators} annotators`}`;
  const needs =
    `This policy needs ${policy.seedVotes} distinct annotators for the seed set (seedVotes) and up to ` +
    `${policy.maxVotes} for every other image (maxVotes); ${have} (unblocked, with the annotator role), ` +
    `${active} active in the last ${activeDays} days.`;
  const consequences: string[] = [];
  const seedVotes = Math.max(seedMinimum, Math.min(policy.seedVotes, annotators));
  const blocked = annotators < seedVotes;
  if (blocked) {
    consequences.push(
      `The seed set cannot be completed with ${annotators} (it needs at least ${seedMinimum}): the campaign waits ` +
        "until annotators are added.",
    );
  } else if (seedVotes < policy.seedVotes) {
    consequences.push(`The seed is collected with ${seedVotes} votes per image instead of ${policy.seedVotes}.`);
  }
  if (annotators < policy.minVotes) {
    consequences.push(
      `minVotes (${policy.minVotes}) is more than the pool: the crowd cannot decide any image, all go to review.`,
    );
  } else if (annotators < policy.maxVotes) {
    consequences.push(
      `An image gets at most ${annotators} votes; one still undecided when all have voted on it goes to review.`,
    );
  }
  return { needs, consequences, blocked };
}

import { type Rng, sampleWithoutReplacement } from "./random.ts";
import type { Vote } from "./types.ts";

/** A labelled item with votes, for tests (not exported from the package). */
export interface SyntheticItem {
  positive: boolean;
  votes: Vote[];
}

export interface SyntheticOptions {
  items: number;
  positiveRate: number;
  /** accuracies[i] is annotator `a${i}`'s chance of answering correctly on an average item. */
  accuracies: readonly number[];
  votesPerItem: number;
  /** Item difficulty is maxDifficulty · u³; each voter's edge over chance shrinks by that share. */
  maxDifficulty?: number;
}

/** Items voted on by distinct random annotators: the crowd model of the tests, seeded by `rng`. */
export function syntheticItems(rng: Rng, options: SyntheticOptions): SyntheticItem[] {
  const ids = options.accuracies.map((_, i) => i);
  return Array.from({ length: options.items }, () => {
    const positive = rng() < options.positiveRate;
    const difficulty = (options.maxDifficulty ?? 0) * rng() ** 3;
    const votes = sampleWithoutReplacement(rng, ids, options.votesPerItem).map((i) => {
      const accuracy = 0.5 + ((options.accuracies[i] as number) - 0.5) * (1 - difficulty);
      return { annotatorId: `a${i}`, positive: rng() < accuracy ? positive : !positive };
    });
    return { positive, votes };
  });
}

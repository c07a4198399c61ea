export { getStats, type Stats, statsSchema } from "./stats/get-stats.ts";
export { getSynset } from "./synsets/get-synset.ts";
export { listSynsetChildren } from "./synsets/list-synset-children.ts";
export { searchSynsets } from "./synsets/search-synsets.ts";
export * from "./synsets/synset-schemas.ts";

export * from "./hierarchy/closure.ts";
export * from "./hierarchy/dag.ts";
export * from "./hierarchy/paths.ts";
export * from "./search/rank-search-hits.ts";
export * from "./wnid.ts";
export * from "./wordnet/lexicographer-files.ts";
export * from "./wordnet/parse-data-noun.ts";

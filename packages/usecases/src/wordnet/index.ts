// Batch operations on the hierarchy, kept off the main entry so that the web bundle never includes them.

export { buildHierarchy, type Hierarchy } from "./build-hierarchy.ts";
export { type ImportWordnetOptions, type ImportWordnetResult, importWordnet } from "./import-wordnet.ts";
export { isWordnetImported } from "./is-wordnet-imported.ts";

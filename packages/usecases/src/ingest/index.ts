// Ingest: batch work run by workers and the CLI, kept off the main entry (the web app only starts runs).

export { applyNewLinkCounts } from "../image-links/apply-new-link-counts.ts";
export { recountSynsetCounts } from "../image-links/recount-synset-counts.ts";
export { createIngestRun } from "./create-ingest-run.ts";
export { executeIngestRun, type IngestDeps, type IngestProgress } from "./execute-ingest-run.ts";

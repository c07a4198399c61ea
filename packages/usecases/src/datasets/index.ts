export { type CreatedVersion, createDatasetVersion } from "./create-dataset-version.ts";
export * from "./dataset-schemas.ts";
export { diffDatasetVersions } from "./diff-dataset-versions.ts";
export { executeFreezeRun } from "./execute-freeze-run.ts";
export { findLeaks, type LeakageReport } from "./find-leaks.ts";
export {
  createdVersion,
  type FreezeOutcome,
  freezeDatasetVersion,
  freezeRunFailure,
} from "./freeze-dataset-version.ts";
export { freezeRunJob } from "./freeze-run-job.ts";
export type { FreezeProgress } from "./freeze-version.ts";
export { getDatasetVersion } from "./get-dataset-version.ts";
export { getFreezeRun, listActiveFreezeRuns } from "./get-freeze-run.ts";
export { listDatasetVersions } from "./list-dataset-versions.ts";
export { previewClassSet } from "./preview-class-set.ts";
export { createFreezeRun, startFreezeRun } from "./start-freeze-run.ts";

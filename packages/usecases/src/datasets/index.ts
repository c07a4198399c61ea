export { type CreatedVersion, createDatasetVersion } from "./create-dataset-version.ts";
export * from "./dataset-schemas.ts";
export { diffDatasetVersions } from "./diff-dataset-versions.ts";
export { findLeaks, type LeakageReport } from "./find-leaks.ts";
export { getDatasetVersion } from "./get-dataset-version.ts";
export { listDatasetVersions } from "./list-dataset-versions.ts";
export { previewClassSet } from "./preview-class-set.ts";

// Exports: the web app starts them; workers and the CLI execute them.
export { createExport } from "./create-export.ts";
export { type ExportDeps, type ExportProgress, executeExport } from "./execute-export.ts";
export { exportJob } from "./export-job.ts";
export { type ExportOptions, type ExportOptionsInput, exportOptionsSchema } from "./export-options.ts";
export * from "./export-schemas.ts";
export { openDestination } from "./export-target.ts";
export { getExport, listExportFiles } from "./get-export.ts";
export { manifestCopyQuery, writeJsonlManifests, writeManifest } from "./manifest-writer.ts";
export { startExport } from "./start-export.ts";
export { type ExportCheck, verifyExport } from "./verify-export.ts";

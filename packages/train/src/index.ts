export { registerTrainCommands } from "./cli/register-commands.ts";
export type { AugmentSpec } from "./data/augment.ts";
export { type ExportReader, openExportReader } from "./data/export-reader.ts";
export { openExport } from "./data/open-dataset.ts";
export { buildModel, MODEL_NAMES, type ModelName } from "./models/registry.ts";
export { loadCheckpoint } from "./training/checkpoint.ts";
export { type TrainConfig, trainConfigSchema } from "./training/config.ts";
export { HierarchyDistance } from "./training/hierarchical-distance.ts";
export { train } from "./training/trainer.ts";

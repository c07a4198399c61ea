export { createModel } from "./create-model.ts";
export { getModel, listImagePredictions, listModels } from "./get-model.ts";
export {
  artifactNameSchema,
  listModelArtifacts,
  type ModelArtifact,
  modelArtifactSchema,
  storeModelArtifact,
} from "./model-artifacts.ts";
export * from "./model-schemas.ts";
export { type PredictionsResult, recordPredictions } from "./record-predictions.ts";

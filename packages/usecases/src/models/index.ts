export { createModel } from "./create-model.ts";
export { getModel, listImagePredictions, listModels } from "./get-model.ts";
export { listModelArtifacts, storeModelArtifact } from "./model-artifacts.ts";
export * from "./model-schemas.ts";
export { recordPredictions } from "./record-predictions.ts";

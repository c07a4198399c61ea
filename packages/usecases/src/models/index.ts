export { createModel } from "./create-model.ts";
export { getModel, listImagePredictions, listModels } from "./get-model.ts";
export * from "./model-schemas.ts";
export { type PredictionsResult, recordPredictions } from "./record-predictions.ts";

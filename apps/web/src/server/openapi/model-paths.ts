import {
  createModelSchema,
  imagePredictionSchema,
  MAX_PREDICTION_LINES,
  modelArtifactSchema,
  modelDetailSchema,
  modelSummarySchema,
  predictionLineSchema,
} from "@arbor/usecases";
import { z } from "zod";
import { error, idParameter, json, ref } from "./openapi-helpers";

/** OpenAPI paths of the model registry and image predictions. */

const modelList = z.object({ items: z.array(modelSummarySchema) }).meta({ id: "ModelList" });
const modelArtifactList = z.object({ items: z.array(modelArtifactSchema) }).meta({ id: "ModelArtifactList" });
const artifactStored = z.object({ name: z.string(), bytes: z.number().int() }).meta({ id: "ArtifactStored" });
const modelCreated = z
  .object({ id: z.string().meta({ description: "the model's id, as a string of digits (usable in every URL)" }) })
  .meta({ id: "ModelCreated" });
const predictionsRecorded = z
  .object({
    accepted: z.number().int().meta({ description: "predictions written (a re-sent line overwrites its score)" }),
    unknownImages: z.number().int().meta({ description: "lines naming an image Arbor does not have" }),
    unknownWnids: z.number().int().meta({ description: "lines naming a synset that does not exist" }),
  })
  .meta({ id: "PredictionsRecorded" });
const imagePredictionList = z.object({ items: z.array(imagePredictionSchema) }).meta({ id: "ImagePredictionsList" });

export const modelPaths = {
  "/images/{id}/predictions": {
    get: {
      summary: "What each model says about the image: its top predictions, best first, newest model first",
      parameters: [idParameter("image")],
      responses: {
        200: json(imagePredictionList, "one entry per model with predictions for the image (none: empty)"),
        400: error("bad id"),
        404: error("no such image"),
      },
    },
  },
  "/models": {
    get: {
      summary: "Registered models, newest first",
      responses: { 200: json(modelList, "the models, with their metrics and prediction counts") },
    },
    post: {
      summary:
        "Register a trained model: architecture, the dataset version it was trained on, final metrics, the training curve (one row per epoch, as in the trainer's metrics.jsonl) and its classes in output order",
      requestBody: {
        required: true,
        description: "datasetVersionId may also be sent as a string of digits",
        content: { "application/json": { schema: ref(createModelSchema) } },
      },
      responses: {
        201: json(modelCreated, "the model (Location: /api/v1/models/{id})"),
        400: error("invalid input, or no such dataset version"),
        413: error("body over 8 MB"),
      },
    },
  },
  "/models/{id}": {
    get: {
      summary: "A model: metrics, training curve, classes, prediction count",
      parameters: [idParameter("model")],
      responses: { 200: json(modelDetailSchema, "the model"), 400: error("bad id"), 404: error("no such model") },
    },
  },
  "/models/{id}/predictions": {
    post: {
      summary: `Record a batch of the model's predictions (at most ${MAX_PREDICTION_LINES} lines); idempotent: a line sent again overwrites its score`,
      parameters: [idParameter("model")],
      requestBody: {
        required: true,
        description:
          "JSON lines (NDJSON), one PredictionLine per line: the image by imageId or sha256, a wnid and a score in [0, 1]. Unknown images and wnids are counted, not fatal; a malformed line rejects the whole batch.",
        content: {
          "application/x-ndjson": {
            schema: { type: "string", description: "newline-separated PredictionLine objects" },
            "x-item-schema": ref(predictionLineSchema),
            example:
              '{"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","wnid":"n02085620","score":0.91}\n{"imageId":12,"wnid":"n02085782","score":0.07}\n',
          },
        },
      },
      responses: {
        200: json(predictionsRecorded, "the batch is stored"),
        400: error("a malformed line (named by its number), or too many lines"),
        404: error("no such model"),
        413: error("body over 8 MB"),
        415: error("a form instead of JSON lines"),
      },
    },
  },
  "/models/{id}/artifacts": {
    get: {
      summary: "A model's files in the blob store (weights, model.json, config), with download URLs valid for an hour",
      parameters: [idParameter("model")],
      responses: { 200: json(modelArtifactList, "the artifacts"), 404: error("no such model") },
    },
  },
  "/models/{id}/artifacts/{name}": {
    put: {
      summary: "Upload one file of a model (the body is its bytes); a re-upload replaces it",
      parameters: [
        idParameter("model"),
        { name: "name", in: "path", required: true, schema: { type: "string" }, description: "a file name" },
      ],
      requestBody: {
        required: true,
        content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } },
      },
      responses: {
        201: json(artifactStored, "stored"),
        400: error("a name that is not a single file name"),
        404: error("no such model"),
        413: error("over 2 GiB"),
      },
    },
  },
};

import { wnidSchema } from "@arbor/core";
import { z } from "zod";
import { idParams, idSchema, MAX_INT4 } from "../request-params.ts";

/** API contracts of the model registry: zod is the one source of their types and of the OpenAPI document. */

/** Model uploads: the registration (metrics, curve, class list) and each predictions batch stay under this. */
export const MAX_MODEL_BODY_BYTES = 8 * 1024 * 1024;

/** A model file (weights, model.json) streamed into the blob store. */
export const MAX_ARTIFACT_BYTES = 2 * 1024 * 1024 * 1024;

/**
 * The model a fine-tuned one started from (`arbor-train train --init`): its id when it is registered here, and
 * always the name and weights hash the trainer knew it by (a parent trained elsewhere has only those).
 */
export const modelParentInputSchema = z
  .object({
    id: idSchema("parent model").optional(),
    name: z.string().trim().min(1).max(200),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, "sha256 must be 64 lowercase hex digits")
      .optional(),
  })
  .meta({ id: "ModelParentInput" });

export const createModelSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    architecture: z.string().trim().min(1).max(100),
    /** The dataset version it was trained on (as exported: export.json's dataset.id). */
    datasetVersionId: idSchema("dataset version").optional(),
    metrics: z.record(z.string(), z.unknown()).default({}),
    curve: z.array(z.record(z.string(), z.unknown())).max(10_000).default([]),
    classes: z.array(wnidSchema).max(100_000).default([]),
    parent: modelParentInputSchema.optional(),
  })
  .meta({ id: "CreateModel" });
export type CreateModelInput = z.input<typeof createModelSchema>;

export const modelCreatedSchema = z
  .object({ id: z.string().meta({ description: "the model's id, as a string of digits (usable in every URL)" }) })
  .meta({ id: "ModelCreated" });

/** One line of a predictions upload: the image by id or sha256, a synset and the model's score for it. */
export const predictionLineSchema = z
  .object({
    imageId: z.number().int().positive().max(MAX_INT4).optional(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    wnid: wnidSchema,
    score: z.number().min(0).max(1),
  })
  .refine((line) => line.imageId !== undefined || line.sha256 !== undefined, "each line needs imageId or sha256")
  .meta({ id: "PredictionLine" });
export type PredictionLine = z.infer<typeof predictionLineSchema>;

export const MAX_PREDICTION_LINES = 5000;

export const predictionsRecordedSchema = z
  .object({
    accepted: z.number().int().meta({ description: "predictions written (a re-sent line overwrites its score)" }),
    unknownImages: z.number().int().meta({ description: "lines naming an image Arbor does not have" }),
    unknownWnids: z.number().int().meta({ description: "lines naming a synset that does not exist" }),
  })
  .meta({ id: "PredictionsRecorded" });
export type PredictionsResult = z.infer<typeof predictionsRecordedSchema>;

export const modelSummarySchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    architecture: z.string(),
    datasetVersionId: z.number().int().nullable(),
    dataset: z.string().nullable(),
    metrics: z.record(z.string(), z.unknown()),
    classCount: z.number().int(),
    predictions: z.number().int(),
    createdAt: z.string(),
    createdBy: z.string().nullable(),
    parent: z
      .object({
        id: z.number().int().nullable().meta({ description: "null when the parent is not (or no longer) here" }),
        name: z.string(),
        sha256: z.string().nullable(),
      })
      .nullable()
      .meta({ description: "the model this one was fine-tuned from; null when trained from scratch" }),
  })
  .meta({ id: "ModelSummary" });
export type ModelSummary = z.infer<typeof modelSummarySchema>;

export const modelListSchema = z.object({ items: z.array(modelSummarySchema) }).meta({ id: "ModelList" });

export const modelDetailSchema = modelSummarySchema
  .extend({
    curve: z.array(z.record(z.string(), z.unknown())),
    classes: z.array(z.string()).describe("wnids in the model's output order"),
    classLemmas: z
      .record(z.string(), z.string())
      .describe("the head lemma of each class wnid WordNet has (wnids it does not have are left out)"),
  })
  .meta({ id: "Model" });
export type ModelDetail = z.infer<typeof modelDetailSchema>;

export const imagePredictionSchema = z
  .object({
    modelId: z.number().int(),
    modelName: z.string(),
    predictions: z.array(z.object({ wnid: z.string(), lemmas: z.array(z.string()), score: z.number() })),
  })
  .meta({ id: "ImagePredictions" });
export type ImagePredictions = z.infer<typeof imagePredictionSchema>;

export const imagePredictionListSchema = z
  .object({ items: z.array(imagePredictionSchema) })
  .meta({ id: "ImagePredictionsList" });

/** An artifact's file name: one path segment, so it can never leave the model's folder of the blob store. */
export const artifactNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, "an artifact name is one file name: letters, digits, . _ - (≤ 100)");

/** `{ id, name }` of /models/{id}/artifacts/{name}. */
export const artifactParams = idParams("model").extend({
  name: artifactNameSchema.meta({ description: "a file name" }),
});

export const modelArtifactSchema = z
  .object({ name: z.string(), bytes: z.number().int(), url: z.string().nullable() })
  .meta({ id: "ModelArtifact" });
export type ModelArtifact = z.infer<typeof modelArtifactSchema>;

export const modelArtifactListSchema = z
  .object({ items: z.array(modelArtifactSchema) })
  .meta({ id: "ModelArtifactList" });

export const artifactStoredSchema = z
  .object({ name: z.string(), bytes: z.number().int() })
  .meta({ id: "ArtifactStored" });
export type ArtifactStored = z.infer<typeof artifactStoredSchema>;

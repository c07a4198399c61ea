import { wnidSchema } from "@arbor/core";
import { z } from "zod";

export const createModelSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    architecture: z.string().trim().min(1).max(100),
    /** The dataset version it was trained on (as exported: export.json's dataset.id). */
    datasetVersionId: z.coerce.number().int().positive().optional(),
    metrics: z.record(z.string(), z.unknown()).default({}),
    curve: z.array(z.record(z.string(), z.unknown())).max(10_000).default([]),
    classes: z.array(wnidSchema).max(100_000).default([]),
  })
  .meta({ id: "CreateModel" });
export type CreateModelInput = z.input<typeof createModelSchema>;

/** One line of a predictions upload: the image by id or sha256, a synset and the model's score for it. */
export const predictionLineSchema = z
  .object({
    imageId: z.number().int().positive().optional(),
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
  })
  .meta({ id: "ModelSummary" });
export type ModelSummary = z.infer<typeof modelSummarySchema>;

export const modelDetailSchema = modelSummarySchema
  .extend({ curve: z.array(z.record(z.string(), z.unknown())), classes: z.array(z.string()) })
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

import { z } from "zod";
import { augmentSpecSchema } from "../data/augment.ts";
import { modelNameSchema } from "../models/registry.ts";
import { scheduleSchema } from "./schedules.ts";

export const backendChoiceSchema = z.enum(["webgpu", "tensorflow", "wasm", "cpu"]);

/**
 * One training run. A JSON file (`--config`) and CLI flags both produce partial objects; flags are merged over
 * the file, then this schema fills the defaults and validates. Defaults are ResNet-20's CIFAR recipe.
 */
export const trainConfigSchema = z.object({
  model: modelNameSchema.default("resnet20"),
  /** Channel-width multiplier of the model. */
  width: z.number().positive().default(1),
  epochs: z.number().int().positive().default(30),
  batchSize: z.number().int().positive().default(128),
  lr: z.number().positive().default(0.1),
  momentum: z.number().min(0).max(1).default(0.9),
  nesterov: z.boolean().default(true),
  weightDecay: z.number().nonnegative().default(5e-4),
  labelSmoothing: z.number().min(0).max(1).default(0.1),
  schedule: scheduleSchema.default({ kind: "onecycle", pctStart: 0.25, divFactor: 25, finalDivFactor: 1e4 }),
  augment: augmentSpecSchema.default(augmentSpecSchema.parse({ size: 32 })),
  seed: z.number().int().nonnegative().default(0),
  backend: backendChoiceSchema.optional(),
  /**
   * Transfer learning (`train --init`): start from a trained model instead of random weights. The body's
   * learning rate is `lr × bodyLrScale` (0.1: the body already holds useful features that a full-size step
   * on a small export would wreck in a few hundred steps; the new head is trained at `lr`); the lowest
   * `freeze` stages (src/training/stages.ts) are not trained at all.
   */
  init: z
    .object({
      from: z.string().min(1),
      freeze: z.number().int().nonnegative().default(0),
      bodyLrScale: z.number().positive().max(1).default(0.1),
    })
    .optional(),
  data: z
    .object({
      trainSplit: z.enum(["train", "val", "test"]).default("train"),
      /** Split measured after each epoch; null skips validation. Falls back to none if the export lacks it. */
      valSplit: z.enum(["train", "val", "test"]).nullable().default("val"),
      /** Use a seeded subset of this many training images (quick runs). */
      trainLimit: z.number().int().positive().optional(),
      valLimit: z.number().int().positive().optional(),
      /** Decode worker threads; 0 decodes in-process. Default: cores − 1 (at most 4). */
      workers: z.number().int().nonnegative().optional(),
      prefetch: z.number().int().positive().default(3),
      /** Decoded-pixel cache budget (see PixelCache). */
      cacheMB: z.number().nonnegative().default(1024),
      shuffleBuffer: z.number().int().positive().default(2000),
    })
    .default({ trainSplit: "train", valSplit: "val", prefetch: 3, cacheMB: 1024, shuffleBuffer: 2000 }),
});
export type TrainConfig = z.infer<typeof trainConfigSchema>;

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === "object" && v !== null && !Array.isArray(v);

/** Deep merge for config layers: later layers win; undefined never overrides. */
export function mergeConfig(...layers: Plain[]): Plain {
  const out: Plain = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) {
      if (v === undefined) continue;
      out[k] = isPlain(v) && isPlain(out[k]) ? mergeConfig(out[k] as Plain, v) : v;
    }
  }
  return out;
}

export function parseTrainConfig(...layers: Plain[]): TrainConfig {
  return trainConfigSchema.parse(mergeConfig(...layers));
}

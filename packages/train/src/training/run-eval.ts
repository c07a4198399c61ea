import type { ExportClass } from "@arbor/core";
import type * as tf from "@tensorflow/tfjs";
import type { AugmentSpec } from "../data/augment.ts";
import type { Batch } from "../data/batch-loader.ts";
import type { DecodePool } from "../data/decode-pool.ts";
import type { PixelCache } from "../data/pixel-cache.ts";
import type { SplitSource } from "../data/split-source.ts";
import type { InferenceEngine } from "../inference/engine.ts";
import { EvalAccumulator, type EvalResult } from "./eval-metrics.ts";
import type { HierarchyDistance } from "./hierarchical-distance.ts";
import { inferBatches } from "./infer-batches.ts";

export interface EvalOptions {
  batchSize: number;
  spec: AugmentSpec;
  pool: DecodePool;
  cache?: PixelCache;
  prefetch: number;
  onBatch?: (done: number, total: number) => void;
  /** Sees each batch's logits too (predict reuses this loop). */
  onLogits?: (batch: Batch, logits: Float32Array) => void | Promise<void>;
}

/** Runs the model in inference mode over a split, in the export's order, with the eval transform. */
export async function evaluateSplit(
  model: tf.LayersModel | InferenceEngine,
  source: SplitSource,
  classes: ExportClass[],
  hierarchy: HierarchyDistance | null,
  opts: EvalOptions,
): Promise<EvalResult> {
  const acc = new EvalAccumulator(classes, hierarchy);
  let done = 0;
  for await (const { batch, logits } of inferBatches(model, source, opts)) {
    acc.add(logits, batch.labels, batch.size);
    await opts.onLogits?.(batch, logits);
    done += batch.size;
    opts.onBatch?.(done, source.size);
  }
  return acc.result();
}

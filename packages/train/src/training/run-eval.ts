import type { ExportClass } from "@arbor/core";
import * as tf from "@tensorflow/tfjs";
import type { AugmentSpec } from "../data/augment.ts";
import { type Batch, loadBatches } from "../data/batch-loader.ts";
import type { DecodePool } from "../data/decode-pool.ts";
import type { PixelCache } from "../data/pixel-cache.ts";
import type { SplitSource } from "../data/split-source.ts";
import { EvalAccumulator, type EvalResult } from "./eval-metrics.ts";
import type { HierarchyDistance } from "./hierarchical-distance.ts";

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
  model: tf.LayersModel,
  source: SplitSource,
  classes: ExportClass[],
  hierarchy: HierarchyDistance | null,
  opts: EvalOptions,
): Promise<EvalResult> {
  const acc = new EvalAccumulator(classes, hierarchy);
  let done = 0;
  const s = opts.spec.size;
  for await (const batch of loadBatches(source, {
    batchSize: opts.batchSize,
    spec: opts.spec,
    train: false,
    seed: 0,
    shuffle: false,
    dropLast: false,
    prefetch: opts.prefetch,
    pool: opts.pool,
    cache: opts.cache,
  })) {
    const logits = tf.tidy(() => model.predict(tf.tensor4d(batch.x, [batch.size, s, s, 3])) as tf.Tensor);
    const values = (await logits.data()) as Float32Array;
    logits.dispose();
    acc.add(values, batch.labels, batch.size);
    await opts.onLogits?.(batch, values);
    done += batch.size;
    opts.onBatch?.(done, source.size);
  }
  return acc.result();
}

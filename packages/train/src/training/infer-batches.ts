import type * as tf from "@tensorflow/tfjs";
import type { AugmentSpec } from "../data/augment.ts";
import { type Batch, loadBatches } from "../data/batch-loader.ts";
import type { DecodePool } from "../data/decode-pool.ts";
import type { PixelCache } from "../data/pixel-cache.ts";
import type { SplitSource } from "../data/split-source.ts";
import { type InferenceEngine, tfjsEngine } from "../inference/engine.ts";

export interface InferOptions {
  batchSize: number;
  spec: AugmentSpec;
  pool: DecodePool;
  prefetch: number;
  cache?: PixelCache;
}

/**
 * The model in inference mode over a split, in the export's order, with the eval transform: each batch with
 * its logits ([batch.size × classes], row-major). Evaluation and prediction both read a split this way.
 * A LayersModel runs on the tfjs engine (BatchNorm folded into the convs from its current weights, conv +
 * bias + ReLU fused); an engine (engine.ts: onnxruntime-node or tfjs) runs as given and stays the caller's.
 */
export async function* inferBatches(
  model: tf.LayersModel | InferenceEngine,
  source: SplitSource,
  opts: InferOptions,
): AsyncGenerator<{ batch: Batch; logits: Float32Array }> {
  const owned = "predict" in model ? tfjsEngine(model) : null;
  const engine = owned ?? (model as InferenceEngine);
  try {
    yield* batches(engine, source, opts);
  } finally {
    await owned?.dispose();
  }
}

async function* batches(
  engine: InferenceEngine,
  source: SplitSource,
  opts: InferOptions,
): AsyncGenerator<{ batch: Batch; logits: Float32Array }> {
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
    yield { batch, logits: await engine.run(batch.x, batch.size) };
  }
}

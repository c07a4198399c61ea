import * as tf from "@tensorflow/tfjs";
import type { AugmentSpec } from "../data/augment.ts";
import { type Batch, loadBatches } from "../data/batch-loader.ts";
import type { DecodePool } from "../data/decode-pool.ts";
import type { PixelCache } from "../data/pixel-cache.ts";
import type { SplitSource } from "../data/split-source.ts";

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
 */
export async function* inferBatches(
  model: tf.LayersModel,
  source: SplitSource,
  opts: InferOptions,
): AsyncGenerator<{ batch: Batch; logits: Float32Array }> {
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
    const output = tf.tidy(() => model.predict(tf.tensor4d(batch.x, [batch.size, s, s, 3])) as tf.Tensor);
    const logits = (await output.data()) as Float32Array;
    output.dispose();
    yield { batch, logits };
  }
}

import type { AugmentSpec } from "./augment.ts";
import type { BatchItem } from "./decode.ts";
import type { DecodePool } from "./decode-pool.ts";
import type { PixelCache } from "./pixel-cache.ts";
import { mixSeed } from "./seeded-random.ts";
import type { SampleRef, SplitSource } from "./split-source.ts";

/** A batch ready for the model: NHWC float32 pixels and class indices (-1 = unlabelled). */
export interface Batch {
  x: Float32Array;
  labels: Int32Array;
  keys: string[];
  paths: string[];
  size: number;
}

export interface LoaderOptions {
  batchSize: number;
  spec: AugmentSpec;
  /** Random augmentation (train) or the deterministic eval transform. */
  train: boolean;
  /** Seeds the order and every image's augmentation: same seed → identical batches. */
  seed: number;
  shuffle: boolean;
  /** Drop a last partial batch (training: keeps BatchNorm statistics and step sizes uniform). */
  dropLast: boolean;
  /** Batches decoded ahead of the one being consumed. */
  prefetch: number;
  pool: DecodePool;
  cache?: PixelCache;
}

async function* groups(samples: AsyncIterable<SampleRef>, size: number): AsyncGenerator<SampleRef[]> {
  let group: SampleRef[] = [];
  for await (const s of samples) {
    group.push(s);
    if (group.length === size) {
      yield group;
      group = [];
    }
  }
  if (group.length > 0) yield group;
}

/**
 * Streams one epoch of batches, keeping `prefetch` batches in flight in the decode pool so the training loop
 * never waits for images (as long as decoding is faster than a step). Only those batches' images are in
 * memory, plus what the pixel cache holds.
 */
export async function* loadBatches(source: SplitSource, opts: LoaderOptions): AsyncGenerator<Batch> {
  const { batchSize, cache, pool } = opts;
  let position = 0;

  const build = async (group: SampleRef[], start: number): Promise<Batch> => {
    const items: BatchItem[] = await Promise.all(
      group.map(async (s, i) => {
        const seed = mixSeed(opts.seed, start + i);
        const raw = cache?.get(s.key);
        return raw ? { raw, seed } : { bytes: await s.bytes(), seed };
      }),
    );
    const result = await pool.run({ items, spec: opts.spec, train: opts.train, returnDecoded: !!cache?.admitting });
    result.decoded.forEach((d, i) => {
      if (d && cache) cache.put((group[i] as SampleRef).key, d);
    });
    return {
      x: result.x,
      labels: Int32Array.from(group, (s) => s.label),
      keys: group.map((s) => s.key),
      paths: group.map((s) => s.path),
      size: group.length,
    };
  };

  const it = groups(source.epoch({ seed: opts.seed, shuffle: opts.shuffle }), batchSize)[Symbol.asyncIterator]();
  const queue: Promise<Batch>[] = [];
  let exhausted = false;
  const fill = async (): Promise<void> => {
    while (!exhausted && queue.length < Math.max(1, opts.prefetch)) {
      const next = await it.next();
      if (next.done || (opts.dropLast && next.value.length < batchSize)) {
        exhausted = true;
        break;
      }
      const p = build(next.value, position);
      p.catch(() => {}); // surfaced when awaited below; avoids an unhandled rejection if the consumer stops early
      position += next.value.length;
      queue.push(p);
    }
  };
  try {
    for (;;) {
      await fill();
      const p = queue.shift();
      if (!p) return;
      const batch = await p;
      await fill(); // queue the next job before handing control to the (synchronous) training step
      yield batch;
    }
  } finally {
    await it.return?.(undefined);
  }
}

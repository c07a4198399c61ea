import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeExportFixture } from "../testing/make-export-fixture.ts";
import { tempDir } from "../testing/temp-dir.ts";
import { type AugmentSpec, augmentSpecSchema, planGeometry, type RawImage, writeNormalised } from "./augment.ts";
import { type Batch, loadBatches } from "./batch-loader.ts";
import { createDecodePool, type DecodePool } from "./decode-pool.ts";
import { openExport } from "./open-dataset.ts";
import { PixelCache } from "./pixel-cache.ts";
import { SeededRandom } from "./seeded-random.ts";
import type { SplitSource } from "./split-source.ts";

async function epoch(source: SplitSource, spec: AugmentSpec, pool: DecodePool, seed: number, cache?: PixelCache) {
  const out: Batch[] = [];
  for await (const b of loadBatches(source, {
    batchSize: 8,
    spec,
    train: true,
    seed,
    shuffle: true,
    dropLast: true,
    prefetch: 2,
    pool,
    cache,
  })) {
    out.push(b);
  }
  return out;
}

describe("augmentation and normalisation", () => {
  const spec = augmentSpecSchema.parse({ size: 2, mean: [0.5, 0.5, 0.5], std: [0.25, 0.5, 1] });
  const img: RawImage = {
    data: Uint8Array.from([0, 0, 0, 255, 255, 255, 51, 102, 153, 255, 0, 0]),
    width: 2,
    height: 2,
  };

  it("normalises per channel as (x/255 − mean)/std, NHWC", () => {
    const out = new Float32Array(12);
    writeNormalised(
      img,
      { box: { left: 0, top: 0, width: 2, height: 2 }, resizeTo: 2, padCrop: null, flip: false },
      spec,
      out,
      0,
    );
    expect(Array.from(out.subarray(0, 6))).toEqual([-2, -1, -0.5, 2, 1, 0.5]);
    expect(out[6]).toBeCloseTo((0.2 - 0.5) / 0.25, 5);
    expect(out[8]).toBeCloseTo((0.6 - 0.5) / 1, 5);
  });

  it("flips horizontally and pads with zeros (the mean) when pad-cropping", () => {
    const out = new Float32Array(12);
    writeNormalised(
      img,
      { box: { left: 0, top: 0, width: 2, height: 2 }, resizeTo: 2, padCrop: null, flip: true },
      spec,
      out,
      0,
    );
    expect(Array.from(out.subarray(0, 3))).toEqual([2, 1, 0.5]);
    const padded = new Float32Array(12);
    const padSpec = { ...spec, padding: 1 };
    writeNormalised(
      img,
      { box: { left: 0, top: 0, width: 2, height: 2 }, resizeTo: 2, padCrop: { dx: 0, dy: 0 }, flip: false },
      padSpec,
      padded,
      0,
    );
    expect(Array.from(padded.subarray(0, 9))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(padded.subarray(9, 12))).toEqual([-2, -1, -0.5]);
  });

  it("random-resized crops stay inside the image with the requested area range", () => {
    const rrc = augmentSpecSchema.parse({ size: 224, crop: "random-resized", scale: [0.08, 1] });
    const rng = new SeededRandom(3);
    for (let i = 0; i < 500; i++) {
      const { box } = planGeometry(500, 375, rrc, true, rng);
      expect(box.left >= 0 && box.top >= 0 && box.left + box.width <= 500 && box.top + box.height <= 375).toBe(true);
      expect(box.width * box.height).toBeGreaterThanOrEqual(0.07 * 500 * 375);
    }
    const evalPlan = planGeometry(500, 375, { ...rrc, evalResize: 256 }, false, rng);
    expect(evalPlan.box).toEqual({ left: 86, top: 23, width: 328, height: 328 }); // 375·224/256 centred
  });
});

describe("batch loading", () => {
  const tmp = tempDir("loader");
  let source: SplitSource;
  const spec = augmentSpecSchema.parse({ size: 32 });
  beforeAll(async () => {
    makeExportFixture({ out: tmp.dir, format: "jsonl", classes: ["cat", "dog"], perClass: { train: 12 } });
    source = await (await openExport(tmp.dir)).split("train");
  });
  afterAll(tmp.cleanup);

  it("produces float32 NHWC batches and int labels; same seed → identical batches", async () => {
    const pool = createDecodePool(0);
    const a = await epoch(source, spec, pool, 11);
    expect(a).toHaveLength(3);
    expect(a[0]?.x).toBeInstanceOf(Float32Array);
    expect(a[0]?.x.length).toBe(8 * 32 * 32 * 3);
    expect(a[0]?.labels).toBeInstanceOf(Int32Array);
    const b = await epoch(source, spec, pool, 11);
    expect(b.map((x) => x.keys)).toEqual(a.map((x) => x.keys));
    expect(b.map((x) => Array.from(x.x))).toEqual(a.map((x) => Array.from(x.x)));
    const c = await epoch(source, spec, pool, 12);
    expect(c.map((x) => x.keys)).not.toEqual(a.map((x) => x.keys));
    // Normalised CIFAR pixels are roughly zero-mean.
    const all = a.flatMap((x) => Array.from(x.x));
    expect(Math.abs(all.reduce((s, v) => s + v, 0) / all.length)).toBeLessThan(0.5);
  });

  it("gives the same batches from worker threads and from the cache as decoding in-process", async () => {
    const inProcess = await epoch(source, spec, createDecodePool(0), 21);
    const workers = createDecodePool(2);
    const cache = new PixelCache(64 * 1024 * 1024);
    try {
      const viaWorkers = await epoch(source, spec, workers, 21, cache);
      expect(cache.size).toBe(24);
      const viaCache = await epoch(source, spec, workers, 21, cache);
      for (const run of [viaWorkers, viaCache]) {
        expect(run.map((x) => Array.from(x.x))).toEqual(inProcess.map((x) => Array.from(x.x)));
      }
    } finally {
      await workers.close();
    }
  });

  it("stops admitting to the pixel cache at its budget", () => {
    const cache = new PixelCache(3072 * 2);
    for (let i = 0; i < 5; i++) cache.put(`k${i}`, { data: new Uint8Array(3072), width: 32, height: 32 });
    expect(cache.size).toBe(2);
    expect(cache.admitting).toBe(false);
  });
});

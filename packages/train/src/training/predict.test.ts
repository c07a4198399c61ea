import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { augmentSpecSchema } from "../data/augment.ts";
import { createDecodePool } from "../data/decode-pool.ts";
import { makeExportFixture } from "../testing/make-export-fixture.ts";
import { tempDir } from "../testing/temp-dir.ts";
import { useTestBackend } from "../testing/test-backend.ts";
import { openImages, predictTopK } from "./predict.ts";

describe("predict", () => {
  const tmp = tempDir("predict");
  const data = path.join(tmp.dir, "export");
  let fixture: ReturnType<typeof makeExportFixture>;
  beforeAll(async () => {
    await useTestBackend();
    fixture = makeExportFixture({
      out: data,
      format: "jsonl",
      classes: ["cat", "ship", "frog"],
      perClass: { train: 5 },
    });
  });
  afterAll(tmp.cleanup);

  it("gives every image of a split its top-k classes, best first, as probabilities", async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [32, 32, 3] }),
        tf.layers.dense({ units: 3, kernelInitializer: "ones" }),
      ],
    });
    const source = await openImages(data, "train");
    const pool = createDecodePool(0);
    const records = [];
    try {
      for await (const record of predictTopK(model, source, fixture.classes, {
        k: 2,
        batchSize: 4,
        spec: augmentSpecSchema.parse({ size: 32 }),
        pool,
        prefetch: 1,
      }))
        records.push(record);
    } finally {
      await pool.close();
    }
    expect(records).toHaveLength(15);
    expect(new Set(records.map((r) => r.sha256)).size).toBe(15);
    const wnids = new Set(fixture.classes.map((c) => c.wnid));
    for (const record of records) {
      expect(record.predictions).toHaveLength(2);
      const [best, second] = record.predictions as [{ wnid: string; score: number }, { wnid: string; score: number }];
      expect(wnids.has(best.wnid) && wnids.has(second.wnid)).toBe(true);
      expect(best.score).toBeGreaterThanOrEqual(second.score);
      expect(best.score + second.score).toBeLessThanOrEqual(1.000001);
    }
  });
});

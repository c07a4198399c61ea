import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { augmentSpecSchema } from "../data/augment.ts";
import { createDecodePool } from "../data/decode-pool.ts";
import { makeExportFixture } from "../testing/make-export-fixture.ts";
import { tempDir } from "../testing/temp-dir.ts";
import { useTestBackend } from "../testing/test-backend.ts";
import { challengeLine, openImages, predictTopK } from "./predict.ts";

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

describe("challengeLine", () => {
  const rec = (p: string) => ({
    sha256: "ab",
    path: p,
    predictions: [
      { wnid: "n01", score: 0.9 },
      { wnid: "n02", score: 0.1 },
    ],
  });

  it("takes the image id from a test archive's name (position, dash, id) and keeps the wnids best first", () => {
    expect(challengeLine(rec("images/000012-4711.jpg"))).toEqual({ imageId: "4711", wnids: ["n01", "n02"] });
    expect(challengeLine(rec("000001-ILSVRC2012_val_00000001.JPEG")).imageId).toBe("ILSVRC2012_val_00000001");
  });

  it("takes a name without a numeric position whole", () => {
    expect(challengeLine(rec("cat-photo.png")).imageId).toBe("cat-photo");
    expect(challengeLine(rec("sub/4711.jpg")).imageId).toBe("4711");
  });
});

import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeExportFixture } from "../testing/make-export-fixture.ts";
import { tempDir } from "../testing/temp-dir.ts";
import { useTestBackend } from "../testing/test-backend.ts";
import { loadCheckpoint } from "./checkpoint.ts";
import { parseTrainConfig } from "./config.ts";
import { train } from "./trainer.ts";

describe("training", () => {
  const tmp = tempDir("trainer");
  const small = path.join(tmp.dir, "small");
  const three = path.join(tmp.dir, "three");
  beforeAll(async () => {
    await useTestBackend();
    makeExportFixture({ out: small, format: "jsonl", classes: ["cat", "ship"], perClass: { train: 16 } });
    makeExportFixture({
      out: three,
      format: "webdataset",
      classes: ["airplane", "automobile", "frog"],
      perClass: { train: 100, val: 40 },
      shardSize: 64,
    });
  });
  afterAll(tmp.cleanup);

  it("resumes from a checkpoint exactly where an uninterrupted run would be", async () => {
    const config = parseTrainConfig({
      model: "resnet8",
      width: 0.25,
      epochs: 2,
      batchSize: 8,
      augment: { size: 32 },
      data: { workers: 0, valSplit: null },
    });
    const straight = path.join(tmp.dir, "straight");
    const straightRows = await train({ data: small, out: straight, config });
    const resumed = path.join(tmp.dir, "resumed");
    await train({ data: small, out: resumed, config, stopAfterEpochs: 1 });
    expect((await loadCheckpoint(resumed)).state.epoch).toBe(1);
    const rows = await train({ data: small, out: resumed, config, resume: true });
    expect(rows.map((r) => r.epoch)).toEqual([1, 2]);
    expect(rows[1]?.trainLoss).toBeCloseTo(straightRows[1]?.trainLoss as number, 4);
    const a = await loadCheckpoint(straight);
    const b = await loadCheckpoint(resumed);
    expect(b.state).toEqual(a.state);
    const wa = a.model.getWeights().map((w) => Array.from(w.dataSync()));
    const wb = b.model.getWeights().map((w) => Array.from(w.dataSync()));
    wa.forEach((w, i) => {
      const other = wb[i] as number[];
      const maxDiff = w.reduce((m, v, j) => Math.max(m, Math.abs(v - (other[j] as number))), 0);
      expect(maxDiff).toBeLessThan(1e-4);
    });
    const lines = readFileSync(path.join(resumed, "metrics.jsonl"), "utf8").trim().split("\n");
    expect(lines.map((l) => JSON.parse(l).epoch)).toEqual([1, 2]);
  });

  it("learns: loss falls and validation accuracy beats chance on 3 CIFAR classes", async () => {
    const config = parseTrainConfig({
      model: "resnet8",
      width: 0.5,
      epochs: 3,
      batchSize: 32,
      lr: 0.1,
      augment: { size: 32 },
      data: { workers: 1 },
    });
    const rows = await train({ data: three, out: path.join(tmp.dir, "learn"), config });
    expect(rows).toHaveLength(3);
    expect(rows[2]?.trainLoss).toBeLessThan(rows[0]?.trainLoss as number);
    expect(rows[2]?.valTop1).toBeGreaterThan(0.5); // chance is 1/3
  });
});

import { readFileSync } from "node:fs";
import path from "node:path";
import type * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeExportFixture } from "../testing/make-export-fixture.ts";
import { tempDir } from "../testing/temp-dir.ts";
import { useTestBackend } from "../testing/test-backend.ts";
import { loadCheckpoint, resolveCheckpointDir } from "./checkpoint.ts";
import { parseTrainConfig } from "./config.ts";
import { train } from "./trainer.ts";

const kernel = (m: tf.LayersModel, layer: string) =>
  Array.from((m.getLayer(layer).getWeights()[0] as tf.Tensor).dataSync());

describe("train with init: fine-tuning from a checkpoint", () => {
  const tmp = tempDir("finetune");
  const preData = path.join(tmp.dir, "pre-data");
  const smallData = path.join(tmp.dir, "small-data");
  const pre = path.join(tmp.dir, "pre");
  const base = {
    model: "resnet8",
    width: 0.25,
    batchSize: 8,
    augment: { size: 32 },
    data: { workers: 0, valSplit: null },
  };
  beforeAll(async () => {
    await useTestBackend();
    makeExportFixture({ out: preData, format: "jsonl", classes: ["cat", "ship"], perClass: { train: 16 } });
    makeExportFixture({ out: smallData, format: "jsonl", classes: ["ship", "frog", "deer"], perClass: { train: 8 } });
    await train({ data: preData, out: pre, config: parseTrainConfig(base, { epochs: 1 }) });
  }, 120_000);
  afterAll(tmp.cleanup);

  it("keeps frozen stages at the parent's weights, trains the rest, records the parent, and resumes frozen", async () => {
    const out = path.join(tmp.dir, "ft");
    const config = parseTrainConfig(base, { epochs: 2, init: { from: pre, freeze: 2 } });
    const lines: string[] = [];
    await train({ data: smallData, out, config, stopAfterEpochs: 1, log: (l) => lines.push(l) });
    expect(lines[0]).toMatch(
      /init from checkpoint .*: 45 weights matched, 0 shape mismatches, .* 1 class rows kept, 2 fresh/,
    );
    expect(lines).toContain("frozen: the lowest 2 of 4 stages (stem, s1)");
    await train({ data: smallData, out, config, resume: true });

    const parent = await loadCheckpoint(pre);
    const child = await loadCheckpoint(out);
    expect(child.state.epoch).toBe(2);
    expect(child.model.outputs[0]?.shape).toEqual([null, 3]);
    expect(kernel(child.model, "stem_conv")).toEqual(kernel(parent.model, "stem_conv"));
    expect(kernel(child.model, "s1b1_b_conv")).toEqual(kernel(parent.model, "s1b1_b_conv"));
    expect(kernel(child.model, "s3b1_a_conv")).not.toEqual(kernel(parent.model, "s3b1_a_conv"));
    const parentWeights = readFileSync(path.join(await resolveCheckpointDir(pre), "weights.bin"));
    const { createHash } = await import("node:crypto");
    expect(child.parent).toEqual({ name: "pre", sha256: createHash("sha256").update(parentWeights).digest("hex") });
    expect(child.optimizer.variables.some((v) => v.startsWith("stem_"))).toBe(false);
    expect(child.config.init).toEqual({ from: pre, freeze: 2, bodyLrScale: 0.1 });
  });

  it("refuses --freeze beyond the architecture's stages and another architecture, before training", async () => {
    await expect(
      train({
        data: smallData,
        out: path.join(tmp.dir, "bad-freeze"),
        config: parseTrainConfig(base, { epochs: 1, init: { from: pre, freeze: 5 } }),
      }),
    ).rejects.toThrow(/--freeze 5: resnet8 has 4 stages/);
    await expect(
      train({
        data: smallData,
        out: path.join(tmp.dir, "bad-arch"),
        config: parseTrainConfig(base, { model: "resnet20", epochs: 1, init: { from: pre } }),
      }),
    ).rejects.toThrow(/architecture mismatch: it is resnet8 width 0.25 at 32 px, this run builds resnet20/);
  });
});

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildModel, MODEL_NAMES } from "../models/registry.ts";
import { tempDir } from "../testing/temp-dir.ts";
import { useTestBackend } from "../testing/test-backend.ts";
import { loadCheckpoint, saveCheckpoint } from "./checkpoint.ts";
import { parseTrainConfig } from "./config.ts";
import { Sgd } from "./sgd.ts";
import { trainableVariables } from "./train-step.ts";

const classes = ["n02121808", "n02084071", "n04194289"].map((wnid, index) => ({
  index,
  wnid,
  lemmas: [wnid],
  gloss: "",
}));

describe("checkpoints", () => {
  const tmp = tempDir("ckpt");
  beforeAll(useTestBackend);
  afterAll(tmp.cleanup);

  it("round-trips weights, optimizer state, config, classes and RNG state; predictions are identical", async () => {
    const config = parseTrainConfig({ model: "resnet20", width: 0.25, augment: { size: 16 } });
    const model = buildModel("resnet20", { inputSize: 16, numClasses: 3, width: 0.25, seed: 4 });
    const sgd = new Sgd(trainableVariables(model), config);
    sgd.buffers.forEach((b, i) => {
      b.assign(tf.fill(b.shape, i + 0.5));
    });
    const state = { epoch: 3, step: 30, rng: [1, 2, 3, 4] as [number, number, number, number], dataset: null };
    await saveCheckpoint(tmp.dir, { model, sgd, config, classes, state });

    const x = tf.randomNormal([4, 16, 16, 3], 0, 1, "float32", 9);
    const before = (model.predict(x) as tf.Tensor).dataSync();
    const loaded = await loadCheckpoint(tmp.dir);
    const after = (loaded.model.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(after)).toEqual(Array.from(before));
    expect(loaded.state).toEqual(state);
    expect(loaded.config).toEqual(config);
    expect(loaded.classes).toEqual(classes);
    expect(loaded.optimizer.variables).toEqual(sgd.variables.map((v) => v.name));
    expect(loaded.optimizer.buffers[2]?.dataSync()[0]).toBe(2.5);
    expect(readdirSync(path.join(tmp.dir, "checkpoints"))).toEqual(["epoch-0003"]);
    expect(JSON.parse(readFileSync(path.join(tmp.dir, "latest.json"), "utf8")).epoch).toBe(3);
  });

  it("keeps the last two checkpoints", async () => {
    const config = parseTrainConfig({ model: "resnet8", width: 0.25, augment: { size: 8 } });
    const model = buildModel("resnet8", { inputSize: 8, numClasses: 3, width: 0.25, seed: 1 });
    const sgd = new Sgd(trainableVariables(model), config);
    for (const epoch of [4, 5, 6]) {
      await saveCheckpoint(tmp.dir, {
        model,
        sgd,
        config,
        classes,
        state: { epoch, step: 0, rng: [0, 0, 0, 1], dataset: null },
      });
    }
    expect(readdirSync(path.join(tmp.dir, "checkpoints")).sort()).toEqual(["epoch-0005", "epoch-0006"]);
    expect((await loadCheckpoint(tmp.dir)).state.epoch).toBe(6);
  });

  it("builds every registered model for 32×32 inputs and reloads it", async () => {
    for (const name of MODEL_NAMES) {
      const model = buildModel(name, { inputSize: 32, numClasses: 10, width: 0.25, seed: 0 });
      const dir = path.join(tmp.dir, `model-${name}`);
      const { directoryIO } = await import("./file-io.ts");
      await model.save(directoryIO(dir));
      const again = await tf.loadLayersModel(directoryIO(dir));
      expect(again.outputs[0]?.shape).toEqual([null, 10]);
    }
  });
});

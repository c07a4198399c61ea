import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { buildTestModel } from "../testing/inference-fixtures.ts";
import { useTestBackend } from "../testing/test-backend.ts";
import { chooseEngine } from "./engine.ts";

// As if onnxruntime-node were not installed (or its native binding did not load on this platform).
vi.mock("onnxruntime-node", () => {
  throw new Error("Cannot find module 'onnxruntime-node'");
});

const info = {
  architecture: "resnet8",
  classes: ["n01", "n02"],
  preprocessing: { size: 32, resize: 32, mean: [0, 0, 0], std: [1, 1, 1] } as {
    size: number;
    resize: number;
    mean: [number, number, number];
    std: [number, number, number];
  },
};

describe("chooseEngine without onnxruntime-node", () => {
  beforeAll(useTestBackend);

  it("falls back to tfjs, and its logits are the model's", async () => {
    const model = buildTestModel("resnet8", 32, 2);
    const engine = await chooseEngine(model, info);
    expect(engine.name).toBe("tfjs");
    expect(engine.detail).toContain("BatchNorm folded");
    const x = new Float32Array(2 * 32 * 32 * 3).fill(0.5);
    const expected = tf.tidy(() => (model.predict(tf.tensor4d(x, [2, 32, 32, 3])) as tf.Tensor).dataSync());
    const got = await engine.run(x, 2);
    for (let i = 0; i < expected.length; i++) expect(got[i]).toBeCloseTo(expected[i] as number, 4);
    await engine.dispose();
  });

  it("refuses --engine onnx, saying why", async () => {
    const model = buildTestModel("resnet8", 32, 2);
    await expect(chooseEngine(model, info, "onnx")).rejects.toThrow(/onnxruntime-node is not installed/);
  });
});

import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestModel, maxRelativeDiff, randomImages, ZOO_CASES } from "../testing/inference-fixtures.ts";
import { useTestBackend } from "../testing/test-backend.ts";
import { foldGraph } from "./fold.ts";
import { compileForInference } from "./fused-model.ts";
import { readGraph } from "./graph.ts";

/** float32 through ~20 layers: folding reorders a few multiplications per weight, 1e-4 of the logits' scale. */
const TOLERANCE = 1e-4;

describe("BatchNorm folding and fused inference", () => {
  beforeAll(useTestBackend);

  it.each(ZOO_CASES)(
    "$name: folded outputs equal the unfolded model's, with no BN or ReLU pass left",
    ({ name, inputSize }) => {
      const model = buildTestModel(name, inputSize);
      const x = tf.tensor4d(randomImages(4, inputSize), [4, inputSize, inputSize, 3]);
      const reference = tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
      const graph = readGraph(model);
      const folded = foldGraph(graph);
      expect(graph.nodes.some((n) => n.op === "affine")).toBe(true);
      expect(folded.nodes.filter((n) => n.op === "affine" || n.op === "relu")).toEqual([]);
      expect(folded.nodes.filter((n) => n.op === "conv")).toHaveLength(
        graph.nodes.filter((n) => n.op === "conv").length,
      );
      const compiled = compileForInference(model);
      expect(compiled.fused).toBe(true);
      const out = tf.tidy(() => compiled.predict(x).dataSync());
      expect(out.length).toBe(reference.length);
      expect(maxRelativeDiff(reference, out)).toBeLessThan(TOLERANCE);
      compiled.dispose();
      model.dispose();
      x.dispose();
    },
  );

  it("keeps a BatchNorm it cannot fold (after an add) as a scale-and-shift, with the same outputs", () => {
    const input = tf.input({ shape: [8, 8, 3] });
    const a = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: "same" }).apply(input) as tf.SymbolicTensor;
    const b = tf.layers.conv2d({ filters: 4, kernelSize: 1 }).apply(input) as tf.SymbolicTensor;
    const sum = tf.layers.add().apply([a, b]) as tf.SymbolicTensor;
    const bn = tf.layers.batchNormalization({ epsilon: 1e-3 }).apply(sum) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: tf.layers.reLU().apply(bn) as tf.SymbolicTensor });
    const layer = model.layers.find((l) => l.getClassName() === "BatchNormalization") as tf.layers.Layer;
    layer.setWeights([
      tf.tensor1d([1, 2, 0.5, 1]),
      tf.tensor1d([0, 1, -1, 0.5]),
      tf.tensor1d([0.1, 0, -0.2, 0]),
      tf.tensor1d([1, 2, 0.5, 3]),
    ]);
    const folded = foldGraph(readGraph(model));
    expect(folded.nodes.map((n) => n.op)).toEqual(["conv", "conv", "add", "affine", "relu"]);
    const x = tf.tensor4d(randomImages(2, 8), [2, 8, 8, 3]);
    const compiled = compileForInference(model);
    const diff = maxRelativeDiff(
      tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync()),
      tf.tidy(() => compiled.predict(x).dataSync()),
    );
    expect(diff).toBeLessThan(TOLERANCE);
    compiled.dispose();
  });

  it("runs a model with a layer it does not know as the LayersModel itself", () => {
    const model = tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [4, 4, 3] }), tf.layers.dense({ units: 3, activation: "tanh" })],
    });
    const compiled = compileForInference(model);
    expect(compiled.fused).toBe(false);
    const x = tf.ones([1, 4, 4, 3]) as tf.Tensor4D;
    expect(Array.from(tf.tidy(() => compiled.predict(x).dataSync()))).toEqual(
      Array.from(tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync())),
    );
  });
});

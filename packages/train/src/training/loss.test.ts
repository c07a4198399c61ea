import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { smoothedCrossEntropy } from "./loss.ts";

describe("label-smoothed cross-entropy", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });
  const logits = tf.tensor2d([
    [2, 0, -1],
    [0.5, 0.5, 3],
  ]);
  const labels = tf.tensor1d([0, 1], "int32");
  const manual = (eps: number) => {
    const rows = [
      [2, 0, -1],
      [0.5, 0.5, 3],
    ];
    const target = [0, 1];
    let sum = 0;
    rows.forEach((r, i) => {
      const lse = Math.log(r.reduce((s, v) => s + Math.exp(v), 0));
      r.forEach((v, c) => {
        const q = (c === target[i] ? 1 - eps : 0) + eps / 3;
        sum -= q * (v - lse);
      });
    });
    return sum / rows.length;
  };

  it("equals plain cross-entropy at ε = 0", () => {
    expect(smoothedCrossEntropy(logits, labels, 3, 0).dataSync()[0]).toBeCloseTo(manual(0), 5);
  });

  it("mixes ε/K of the uniform distribution into the target", () => {
    expect(smoothedCrossEntropy(logits, labels, 3, 0.1).dataSync()[0]).toBeCloseTo(manual(0.1), 5);
    // Smoothing penalises over-confidence: a very confident correct prediction costs more than without it.
    const confident = tf.tensor2d([[20, 0, 0]]);
    const l = tf.tensor1d([0], "int32");
    expect(smoothedCrossEntropy(confident, l, 3, 0.1).dataSync()[0]).toBeGreaterThan(
      (smoothedCrossEntropy(confident, l, 3, 0).dataSync()[0] as number) + 1,
    );
  });
});

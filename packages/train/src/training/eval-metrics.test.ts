import { describe, expect, it } from "vitest";
import { EvalAccumulator, topK } from "./eval-metrics.ts";

const classes = ["n00000001", "n00000002", "n00000003"].map((wnid, index) => ({ index, wnid, lemmas: [], gloss: "" }));

describe("evaluation metrics", () => {
  it("ranks the top k", () => {
    expect(topK(Float32Array.from([0.1, 3, -1, 2, 0.5]), 0, 5, 3)).toEqual([1, 3, 4]);
  });

  it("computes top-1/top-k error, per-class accuracy and the confusion matrix", () => {
    const acc = new EvalAccumulator(classes, null);
    // rows: predicted 0 (true 0), predicted 1 (true 0), predicted 2 (true 2), unlabelled (skipped)
    acc.add(Float32Array.from([5, 0, 0, 0, 5, 1, 0, 0, 5, 9, 0, 0]), Int32Array.from([0, 0, 2, -1]), 4);
    const r = acc.result();
    expect(r.images).toBe(3);
    expect(r.top1Error).toBeCloseTo(1 / 3);
    expect(r.top5Error).toBe(0); // k = min(5, K) = 3 covers everything
    expect(r.confusion).toEqual([
      [1, 1, 0],
      [0, 0, 0],
      [0, 0, 1],
    ]);
    expect(r.perClass.map((c) => c.top1Accuracy)).toEqual([0.5, 0, 1]);
  });
});

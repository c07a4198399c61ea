import type * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildModel, MODEL_NAMES } from "../models/registry.ts";
import { useTestBackend } from "../testing/test-backend.ts";
import { freezeStages, headLayer, InitError, stageNames, stageOf } from "./stages.ts";

describe("stages for --freeze", () => {
  beforeAll(useTestBackend);

  it("puts every weighted layer but the head in exactly one stage, and every stage has layers", () => {
    for (const name of MODEL_NAMES) {
      const model = buildModel(name, { inputSize: 32, numClasses: 3, width: 0.25, seed: 0 });
      const head = headLayer(model);
      const used = new Set<number>();
      for (const layer of model.layers) {
        if (layer.weights.length === 0) continue;
        const stage = stageOf(name, layer.name);
        if (layer === head) {
          expect(stage, `${name} ${layer.name}`).toBeNull();
          continue;
        }
        expect(stage, `${name} ${layer.name}`).not.toBeNull();
        used.add(stage as number);
      }
      expect(
        [...used].sort((a, b) => a - b),
        name,
      ).toEqual(stageNames(name).map((_, i) => i));
      model.dispose();
    }
  });

  it("freezes the lowest n stages only; refuses more stages than the architecture has", () => {
    const model: tf.LayersModel = buildModel("resnet8", { inputSize: 16, numClasses: 3, width: 0.25, seed: 0 });
    const before = model.trainableWeights.length;
    const frozen = freezeStages(model, "resnet8", 2);
    expect(frozen).toContain("stem_conv");
    expect(frozen).toContain("s1b1_b_bn");
    expect(frozen.some((l) => l.startsWith("s2"))).toBe(false);
    expect(model.getLayer("s2b1_a_conv").trainable).toBe(true);
    expect(model.trainableWeights.length).toBeLessThan(before);
    expect(model.trainableWeights.some((w) => w.originalName.startsWith("stem_"))).toBe(false);
    expect(() => freezeStages(model, "resnet8", 5)).toThrow(InitError);
    expect(() => freezeStages(model, "resnet8", 5)).toThrow(/resnet8 has 4 stages \(stem, s1, s2, s3\); at most 4/);
    model.dispose();
  });
});

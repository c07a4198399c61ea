import * as tf from "@tensorflow/tfjs";
import { buildModel, MODEL_NAMES, type ModelName } from "../models/registry.ts";

/**
 * Every zoo architecture at a test-sized input: 32 px (CIFAR) for most; ResNet-18 at 64 px and AlexNet at
 * 128 px, so their ImageNet stems (7×7/2 conv + max-pool, 11×11/4 conv) are covered too; width 0.25 keeps
 * the wide ones fast.
 */
export const ZOO_CASES: { name: ModelName; inputSize: number }[] = MODEL_NAMES.map((name) => ({
  name,
  inputSize: name === "alexnet" ? 128 : name === "resnet18" ? 64 : 32,
}));

/**
 * A freshly built model whose BatchNorm layers hold random statistics (γ, β, moving mean, moving variance):
 * initial BN (γ = 1, β = 0, μ = 0, σ² = 1) is nearly the identity, so folding it would be tested on nothing.
 */
export function buildTestModel(name: ModelName, inputSize: number, numClasses = 10, seed = 1): tf.LayersModel {
  const model = buildModel(name, { inputSize, numClasses, width: 0.25, seed });
  randomiseBatchNorm(model, seed);
  return model;
}

export function randomiseBatchNorm(model: tf.LayersModel, seed: number): void {
  let s = seed * 7919;
  for (const layer of model.layers) {
    if (layer.getClassName() !== "BatchNormalization") continue;
    const [gamma, beta, mean, variance] = layer.getWeights().map((w) => w.shape);
    layer.setWeights([
      tf.randomUniform(gamma as number[], 0.5, 1.5, "float32", ++s),
      tf.randomNormal(beta as number[], 0, 0.2, "float32", ++s),
      tf.randomNormal(mean as number[], 0, 0.2, "float32", ++s),
      tf.randomUniform(variance as number[], 0.5, 2, "float32", ++s),
    ]);
  }
}

/** Seeded N(0, 1) images, NHWC. */
export function randomImages(n: number, size: number, seed = 3): Float32Array {
  return tf.tidy(() => tf.randomNormal([n, size, size, 3], 0, 1, "float32", seed).dataSync() as Float32Array);
}

/** Largest |a − b| relative to the largest |a| (at least 1). */
export function maxRelativeDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(a[i] as number));
  }
  return diff / scale;
}

import * as tf from "@tensorflow/tfjs";
import { buildModel, type ModelName } from "../models/registry.ts";
import { Sgd } from "./sgd.ts";
import { trainableVariables, trainStep } from "./train-step.ts";

export interface BenchResult {
  trainImgPerSec: number;
  inferImgPerSec: number;
}

/**
 * Train and inference throughput on the active backend with synthetic data (no decoding, so this is the
 * model's ceiling). The first steps are warm-up (kernel compilation, allocation) and not timed.
 */
export async function benchModel(opts: {
  model: ModelName;
  width: number;
  inputSize: number;
  numClasses: number;
  batchSize: number;
  steps: number;
  warmup: number;
}): Promise<BenchResult> {
  const model = buildModel(opts.model, {
    inputSize: opts.inputSize,
    numClasses: opts.numClasses,
    width: opts.width,
    seed: 0,
  });
  const sgd = new Sgd(trainableVariables(model), { momentum: 0.9, nesterov: true, weightDecay: 5e-4 });
  const n = opts.batchSize * opts.inputSize * opts.inputSize * 3;
  const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i));
  const labels = Int32Array.from({ length: opts.batchSize }, (_, i) => i % opts.numClasses);
  const batch = { x, labels, size: opts.batchSize, inputSize: opts.inputSize };
  const timed = async (steps: number, f: () => Promise<void>): Promise<number> => {
    for (let i = 0; i < opts.warmup; i++) await f();
    const t = performance.now();
    for (let i = 0; i < steps; i++) await f();
    return (steps * opts.batchSize) / ((performance.now() - t) / 1000);
  };
  try {
    const trainImgPerSec = await timed(opts.steps, async () => {
      const r = trainStep(model, sgd, batch, opts.numClasses, 0.1, 0.01);
      await r.loss.data();
      tf.dispose([r.loss, r.correct]);
    });
    const xs = tf.tensor4d(x, [opts.batchSize, opts.inputSize, opts.inputSize, 3]);
    const inferImgPerSec = await timed(opts.steps, async () => {
      const y = model.predict(xs) as tf.Tensor;
      await y.data();
      y.dispose();
    });
    xs.dispose();
    return { trainImgPerSec, inferImgPerSec };
  } finally {
    sgd.dispose();
    model.dispose();
  }
}

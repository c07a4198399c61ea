import * as tf from "@tensorflow/tfjs";
import { smoothedCrossEntropy } from "./loss.ts";
import type { Sgd } from "./sgd.ts";

export interface StepInput {
  x: Float32Array;
  labels: Int32Array;
  size: number;
  inputSize: number;
}

/**
 * One SGD step. Returns the batch's loss and number of correct top-1 predictions as scalars still on the
 * backend, so callers can read them lazily (a read forces a GPU sync; wasm/cpu do not care).
 */
export function trainStep(
  model: tf.LayersModel,
  sgd: Sgd,
  batch: StepInput,
  numClasses: number,
  labelSmoothing: number,
  lr: number,
): { loss: tf.Scalar; correct: tf.Scalar } {
  const xs = tf.tensor4d(batch.x, [batch.size, batch.inputSize, batch.inputSize, 3]);
  const ys = tf.tensor1d(batch.labels, "int32");
  let correct: tf.Scalar | null = null;
  const { value, grads } = tf.variableGrads(
    () => {
      const logits = model.apply(xs, { training: true }) as tf.Tensor2D;
      correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), ys), "float32")) as tf.Scalar);
      return smoothedCrossEntropy(logits, ys, numClasses, labelSmoothing);
    },
    sgd.variables.map((v) => v.variable),
  );
  const ordered = sgd.variables.map((v) => grads[v.variable.name] as tf.Tensor);
  sgd.apply(ordered, lr);
  tf.dispose([xs, ys, ...Object.values(grads)]);
  if (!correct) throw new Error("training step produced no logits");
  return { loss: value, correct };
}

/** Model variables the optimiser updates, named by their layer weight (stable across save/load). */
export function trainableVariables(model: tf.LayersModel): { name: string; variable: tf.Variable }[] {
  return model.trainableWeights.map((w) => ({ name: w.originalName, variable: w.read() as tf.Variable }));
}

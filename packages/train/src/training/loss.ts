import * as tf from "@tensorflow/tfjs";

/**
 * Mean softmax cross-entropy against label-smoothed targets: (1 − ε)·onehot + ε/K (Szegedy et al.; the
 * uniform share includes the true class, as in PyTorch's `label_smoothing`). ε = 0 is plain cross-entropy.
 */
export function smoothedCrossEntropy(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  numClasses: number,
  smoothing: number,
): tf.Scalar {
  return tf.tidy(() => {
    const logProbs = tf.logSoftmax(logits);
    const target = tf
      .oneHot(tf.cast(labels, "int32"), numClasses)
      .mul(1 - smoothing)
      .add(smoothing / numClasses);
    return tf.neg(tf.sum(tf.mul(target, logProbs), 1)).mean() as tf.Scalar;
  });
}

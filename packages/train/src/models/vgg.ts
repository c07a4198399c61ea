import type * as tf from "@tensorflow/tfjs";
import { Builder, type ModelSpec } from "./builder.ts";

/**
 * A small VGG: 3×3 conv-BN-ReLU pairs, max-pool between stages, 64/128/256 channels (VGG-11's first three
 * stages), then global pooling and one linear layer instead of VGG's 4096-wide classifiers, which would
 * dominate both the parameter count and the step time at CIFAR scale.
 */
export function vggSmall(spec: ModelSpec): tf.LayersModel {
  const b = new Builder(spec, "vgg_small");
  const input = b.input();
  let x = input;
  [64, 128, 256].forEach((w, stage) => {
    x = b.convBnRelu(x, `s${stage + 1}c1`, b.ch(w));
    x = b.convBnRelu(x, `s${stage + 1}c2`, b.ch(w));
    x = b.maxPool(x, `s${stage + 1}_pool`);
  });
  return b.model(input, b.head(x));
}

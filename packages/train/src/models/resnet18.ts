import type * as tf from "@tensorflow/tfjs";
import { Builder, basicBlock, type ModelSpec } from "./builder.ts";

/**
 * ResNet-18: four stages of two basic blocks, 64/128/256/512 channels. For inputs of 224 it is the ImageNet
 * network (7×7/2 stem + 3×3/2 max-pool); below 64 px the stem is a single 3×3/1 conv with no pool, the usual
 * CIFAR adaptation, since downsampling 32×32 by 4 before the first block leaves too little to learn from.
 */
export function resnet18(spec: ModelSpec): tf.LayersModel {
  const b = new Builder(spec, "resnet18");
  const input = b.input();
  let x =
    spec.inputSize >= 64
      ? b.maxPool(b.convBnRelu(input, "stem", b.ch(64), 7, 2), "stem_pool", 3, 2)
      : b.convBnRelu(input, "stem", b.ch(64), 3, 1);
  [64, 128, 256, 512].forEach((w, stage) => {
    for (let i = 0; i < 2; i++) x = basicBlock(b, x, `s${stage + 1}b${i + 1}`, b.ch(w), stage > 0 && i === 0 ? 2 : 1);
  });
  return b.model(input, b.head(x));
}

import type * as tf from "@tensorflow/tfjs";
import { Builder, basicBlock, type ModelSpec } from "./builder.ts";

/**
 * He et al.'s CIFAR ResNets (depth 6n+2): a 3×3 stem with 16 channels, three stages of n basic blocks with
 * 16/32/64 channels (stride 2 between stages), global pooling, a linear classifier. ResNet-20 is n = 3
 * (0.27M parameters); ResNet-8 (n = 1, 78k parameters) is the fast one for short CPU budgets.
 */
export function resnetCifar(spec: ModelSpec, depth: number): tf.LayersModel {
  if ((depth - 2) % 6 !== 0) throw new Error(`CIFAR ResNet depth must be 6n+2, got ${depth}`);
  const n = (depth - 2) / 6;
  const b = new Builder(spec, `resnet${depth}`);
  const input = b.input();
  let x = b.convBnRelu(input, "stem", b.ch(16));
  [16, 32, 64].forEach((w, stage) => {
    for (let i = 0; i < n; i++) {
      x = basicBlock(b, x, `s${stage + 1}b${i + 1}`, b.ch(w), stage > 0 && i === 0 ? 2 : 1);
    }
  });
  return b.model(input, b.head(x));
}

import type * as tf from "@tensorflow/tfjs";
import { Builder, type ModelSpec } from "./builder.ts";

/**
 * The "ResNet-9" of Page's DAWNBench CIFAR-10 entry: conv-BN-ReLU blocks with max-pooling and two residual
 * pairs, 64/128/256/512 channels at width 1. Few layers and early downsampling make it the fastest network
 * per point of accuracy on short schedules; `width` 0.25–0.5 suits CPU budgets.
 */
export function resnet9(spec: ModelSpec): tf.LayersModel {
  const b = new Builder(spec, "resnet9");
  const input = b.input();
  const residual = (x: tf.SymbolicTensor, name: string, filters: number) =>
    b.add(x, b.convBnRelu(b.convBnRelu(x, `${name}_a`, filters), `${name}_b`, filters), `${name}_add`);
  let x = b.convBnRelu(input, "prep", b.ch(64));
  x = b.maxPool(b.convBnRelu(x, "layer1", b.ch(128)), "layer1_pool");
  x = residual(x, "res1", b.ch(128));
  x = b.maxPool(b.convBnRelu(x, "layer2", b.ch(256)), "layer2_pool");
  x = b.maxPool(b.convBnRelu(x, "layer3", b.ch(512)), "layer3_pool");
  x = residual(x, "res3", b.ch(512));
  return b.model(input, b.head(x));
}

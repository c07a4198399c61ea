import type * as tf from "@tensorflow/tfjs";
import { Builder, type ModelSpec } from "./builder.ts";

/**
 * AlexNet's shape (5 convs with 3 max-pools, then two wide fully-connected layers with dropout), scaled to
 * the input: at ≥ 128 px the original 11×11/4 stem and 4096-wide layers; smaller inputs get a 5×5/1 stem and
 * 1024-wide layers (as in the cuda-convnet CIFAR variants). BatchNorm replaces local response normalisation,
 * which tf.layers does not serialise and which later work found unnecessary.
 */
export function alexnet(spec: ModelSpec): tf.LayersModel {
  const b = new Builder(spec, "alexnet");
  const big = spec.inputSize >= 128;
  const input = b.input();
  let x = big ? b.convBnRelu(input, "c1", b.ch(64), 11, 4) : b.convBnRelu(input, "c1", b.ch(64), 5, 1);
  x = b.maxPool(x, "p1", 3, 2);
  x = b.maxPool(b.convBnRelu(x, "c2", b.ch(192), 5), "p2", 3, 2);
  x = b.convBnRelu(x, "c3", b.ch(384));
  x = b.convBnRelu(x, "c4", b.ch(256));
  x = b.maxPool(b.convBnRelu(x, "c5", b.ch(256)), "p5", 3, 2);
  let y = b.flatten(x, "flatten");
  const fc = b.ch(big ? 4096 : 1024);
  y = b.dense(y, "fc6", fc, "relu");
  y = b.dropout(y, "fc6_drop", 0.5);
  y = b.dense(y, "fc7", fc, "relu");
  y = b.dropout(y, "fc7_drop", 0.5);
  return b.model(input, b.dense(y, "fc8", spec.numClasses));
}

import type * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { alexnet } from "./alexnet.ts";
import type { ModelSpec } from "./builder.ts";
import { resnetCifar } from "./resnet-cifar.ts";
import { resnet9 } from "./resnet9.ts";
import { resnet18 } from "./resnet18.ts";
import { vggSmall } from "./vgg.ts";

export type { ModelSpec } from "./builder.ts";

const builders = {
  alexnet,
  "vgg-small": vggSmall,
  resnet8: (s: ModelSpec) => resnetCifar(s, 8),
  resnet20: (s: ModelSpec) => resnetCifar(s, 20),
  resnet9,
  resnet18,
} satisfies Record<string, (spec: ModelSpec) => tf.LayersModel>;

export const MODEL_NAMES = Object.keys(builders) as [keyof typeof builders, ...(keyof typeof builders)[]];
export const modelNameSchema = z.enum(MODEL_NAMES);
export type ModelName = z.infer<typeof modelNameSchema>;

export function buildModel(name: ModelName, spec: ModelSpec): tf.LayersModel {
  return builders[name](spec);
}

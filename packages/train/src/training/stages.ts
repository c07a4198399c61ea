import type * as tf from "@tensorflow/tfjs";
import type { ModelName } from "../models/registry.ts";

/** A refused `--init`/`--freeze` (the CLI prints the message and exits 1). */
export class InitError extends Error {}

/**
 * "Stages" of each architecture, lowest first, for `train --init … --freeze n` (the lowest n are not trained).
 * A stage is a resolution level of the body: the stem, then each group of layers between two downsamplings
 * (a ResNet stage of blocks, a VGG conv pair, one AlexNet conv/FC layer). The head (the output classifier,
 * and the pooling before it) belongs to no stage and is always trained. Matching is by the explicit layer names
 * the builders give (src/models/), which are stable across processes.
 */
const STAGES: Record<ModelName, { names: string[]; of: (layer: string) => number | null }> = {
  resnet8: resnetCifar(),
  resnet20: resnetCifar(),
  resnet18: {
    names: ["stem", "s1", "s2", "s3", "s4"],
    of: (l) => (/^stem[_]/.test(l) ? 0 : numbered(l, /^s([1-4])b/)),
  },
  resnet9: {
    names: ["prep", "layer1+res1", "layer2", "layer3+res3"],
    of: (l) =>
      /^prep_/.test(l)
        ? 0
        : /^(layer1|res1)_/.test(l)
          ? 1
          : /^layer2_/.test(l)
            ? 2
            : /^(layer3|res3)_/.test(l)
              ? 3
              : null,
  },
  "vgg-small": { names: ["s1", "s2", "s3"], of: (l) => numbered(l, /^s([1-3])(c|_pool)/, -1) },
  alexnet: {
    names: ["c1", "c2", "c3", "c4", "c5", "fc6", "fc7"],
    of: (l) => {
      const conv = /^[cp]([1-5])(_|$)/.exec(l);
      if (conv) return Number(conv[1]) - 1;
      const fc = /^fc([67])(_|$)/.exec(l);
      return fc ? Number(fc[1]) - 1 : null;
    },
  },
};

function resnetCifar() {
  return { names: ["stem", "s1", "s2", "s3"], of: (l: string) => (/^stem_/.test(l) ? 0 : numbered(l, /^s([1-3])b/)) };
}

/** `s2b1_a_conv` → 2 (stem is 0, so ResNet stage k is k); `offset` −1 where numbering starts at the first stage. */
function numbered(layer: string, re: RegExp, offset = 0): number | null {
  const m = re.exec(layer);
  return m ? Number(m[1]) + offset : null;
}

export function stageNames(model: ModelName): string[] {
  return STAGES[model].names;
}

/** The stage a layer belongs to (0 = lowest), or null for the input and the head. */
export function stageOf(model: ModelName, layer: string): number | null {
  return STAGES[model].of(layer);
}

/** The classifier: the model's output layer (a dense layer in every architecture of the zoo). */
export function headLayer(model: tf.LayersModel): tf.layers.Layer {
  const last = model.layers.at(-1);
  if (last?.getClassName() !== "Dense") throw new Error(`${model.name}: the output layer is not a Dense head`);
  return last;
}

/** Makes the lowest `n` stages not trainable; throws when the architecture has fewer stages. */
export function freezeStages(model: tf.LayersModel, name: ModelName, n: number): string[] {
  const names = stageNames(name);
  if (n > names.length) {
    throw new InitError(
      `--freeze ${n}: ${name} has ${names.length} stages (${names.join(", ")}); at most ${names.length}`,
    );
  }
  const frozen: string[] = [];
  for (const layer of model.layers) {
    const stage = stageOf(name, layer.name);
    if (stage !== null && stage < n && layer.weights.length > 0) {
      layer.trainable = false;
      frozen.push(layer.name);
    }
  }
  return frozen;
}

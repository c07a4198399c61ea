import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { ExportClass, Split } from "@arbor/core";
import type * as tf from "@tensorflow/tfjs";
import type { AugmentSpec } from "../data/augment.ts";
import type { DecodePool } from "../data/decode-pool.ts";
import { openExport } from "../data/open-dataset.ts";
import type { SampleRef, SplitSource } from "../data/split-source.ts";
import type { InferenceEngine } from "../inference/engine.ts";
import { softmaxRow, topK } from "./eval-metrics.ts";
import { inferBatches } from "./infer-batches.ts";

export interface PredictionRecord {
  sha256: string;
  path: string;
  predictions: { wnid: string; score: number }[];
}

/** A challenge submission's JSON line (Arbor's JSONL submission format). */
export interface ChallengeLine {
  imageId: string;
  wnids: string[];
}

/**
 * The submission line of a prediction on a challenge's test archive, whose images are named
 * `images/<position>-<imageId>.<ext>` (position zero-padded): the image id is the name after the first dash.
 * A name without a dash is taken whole (a directory the participant named by image id).
 */
export function challengeLine(rec: PredictionRecord): ChallengeLine {
  const name = path.basename(rec.path).replace(/\.[^.]+$/, "");
  const dash = name.indexOf("-");
  const imageId = dash > 0 && /^\d+$/.test(name.slice(0, dash)) ? name.slice(dash + 1) : name;
  return { imageId, wnids: rec.predictions.map((p) => p.wnid) };
}

const IMAGE_RE = /\.(jpe?g|png|webp|gif|tiff?|avif)$/i;

/** A plain directory of images (recursive), as a SplitSource: keys are the files' sha256. */
async function directorySource(dir: string): Promise<SplitSource> {
  const files: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of (await readdir(d, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) await walk(full);
      else if (IMAGE_RE.test(e.name)) files.push(full);
    }
  };
  await walk(dir);
  return {
    split: "test",
    size: files.length,
    async *epoch() {
      for (const f of files) {
        const bytes = await readFile(f);
        const ref: SampleRef = {
          key: createHash("sha256").update(bytes).digest("hex"),
          label: -1,
          path: path.relative(dir, f),
          bytes: async () => bytes,
        };
        yield ref;
      }
    },
  };
}

/** `images` is an export (→ its `split`) or a plain directory of image files. */
export async function openImages(images: string, split: Split): Promise<SplitSource> {
  const isExport =
    images.startsWith("s3://") ||
    (await stat(path.join(images, "export.json")).then(
      () => true,
      () => false,
    ));
  if (!isExport) return directorySource(images);
  const dataset = await openExport(images);
  return dataset.split(split);
}

export async function* predictTopK(
  model: tf.LayersModel | InferenceEngine,
  source: SplitSource,
  classes: ExportClass[],
  opts: { k: number; batchSize: number; spec: AugmentSpec; pool: DecodePool; prefetch: number },
): AsyncGenerator<PredictionRecord> {
  const K = classes.length;
  const k = Math.min(opts.k, K);
  for await (const { batch, logits: values } of inferBatches(model, source, opts)) {
    for (let i = 0; i < batch.size; i++) {
      const probs = softmaxRow(values, i, K);
      yield {
        sha256: batch.keys[i] as string,
        path: batch.paths[i] as string,
        predictions: topK(values, i, K, k).map((c) => ({
          wnid: classes[c]?.wnid as string,
          score: Number((probs[c] as number).toFixed(6)),
        })),
      };
    }
  }
}

import { open, readdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { classesFileSchema, type ExportClass } from "@arbor/core";
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { type TrainConfig, trainConfigSchema } from "./config.ts";
import { directoryIO, MODEL_FILE, toArrayBuffer } from "./file-io.ts";
import type { Sgd } from "./sgd.ts";

/**
 * A checkpoint is a directory:
 *   model.json + weights.bin   the model (tfjs layers format, see file-io.ts)
 *   optimizer.json + .bin      SGD settings and momentum buffers, in the order of model.trainableWeights
 *   config.json                the TrainConfig that produced it
 *   classes.json               the export's classes (index → wnid): what the logits mean
 *   state.json                 completed epochs, step, the run RNG's state, the dataset it was trained on
 *   parent.json                only in a fine-tuning run (`train --init`): the model it started from
 * Checkpoints live in <out>/checkpoints/epoch-NNNN/; <out>/latest.json names the newest complete one. Each is
 * written under a temporary name and renamed into place, then latest.json is replaced the same way, so a
 * crash at any point leaves the previous checkpoint intact and pointed to.
 */
export const OPTIMIZER_FILE = "optimizer.json";
const OPTIMIZER_BIN = "optimizer.bin";
const CONFIG_FILE = "config.json";
const CLASSES_FILE = "classes.json";
const STATE_FILE = "state.json";
const LATEST_FILE = "latest.json";
const PARENT_FILE = "parent.json";
const KEEP = 2;

export const trainStateSchema = z.object({
  epoch: z.number().int().nonnegative(),
  step: z.number().int().nonnegative(),
  rng: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  dataset: z.object({ id: z.string(), name: z.string(), version: z.number().int() }).nullable(),
});
export type TrainState = z.infer<typeof trainStateSchema>;

const optimizerFileSchema = z.object({
  kind: z.literal("sgd-momentum"),
  variables: z.array(z.string()),
  weightSpecs: z.array(z.object({ name: z.string(), shape: z.array(z.number()), dtype: z.string() }).loose()),
});
/** The model a fine-tuning run started from: its registry id when `predict --push` recorded one, else name + hash. */
export const checkpointParentSchema = z.object({
  name: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  modelId: z.string().min(1).optional(),
  /** The platform the id belongs to (an id means nothing on another platform). */
  registryUrl: z.string().optional(),
});
export type CheckpointParent = z.infer<typeof checkpointParentSchema>;

const latestSchema = z.object({ checkpoint: z.string(), epoch: z.number().int() });

/** Writes a file and fsyncs it, so a rename after it never exposes an empty file after a power loss. */
async function writeDurable(file: string, data: string | Uint8Array): Promise<void> {
  const fh = await open(file, "w");
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export interface CheckpointContents {
  model: tf.LayersModel;
  sgd: Sgd;
  config: TrainConfig;
  classes: ExportClass[];
  state: TrainState;
  parent?: CheckpointParent | null;
}

export async function saveCheckpoint(outDir: string, c: CheckpointContents): Promise<string> {
  const name = `epoch-${String(c.state.epoch).padStart(4, "0")}`;
  const root = path.join(outDir, "checkpoints");
  const tmp = path.join(root, `.tmp-${name}-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  await c.model.save(directoryIO(tmp));
  const named = c.sgd.buffers.map((b, i) => ({ name: `m${i}`, tensor: b as tf.Tensor }));
  const { data, specs } = await tf.io.encodeWeights(named);
  await writeDurable(path.join(tmp, OPTIMIZER_BIN), new Uint8Array(toArrayBuffer(data)));
  const opt = { kind: "sgd-momentum", variables: c.sgd.variables.map((v) => v.name), weightSpecs: specs };
  await writeDurable(path.join(tmp, OPTIMIZER_FILE), JSON.stringify(opt));
  await writeDurable(path.join(tmp, CONFIG_FILE), JSON.stringify(c.config, null, 2));
  await writeDurable(path.join(tmp, CLASSES_FILE), JSON.stringify(c.classes, null, 2));
  await writeDurable(path.join(tmp, STATE_FILE), JSON.stringify(c.state, null, 2));
  if (c.parent) await writeDurable(path.join(tmp, PARENT_FILE), JSON.stringify(c.parent, null, 2));
  const final = path.join(root, name);
  await rm(final, { recursive: true, force: true }); // a re-run of the same epoch after a resume
  await rename(tmp, final);
  const latestTmp = path.join(outDir, `.${LATEST_FILE}.${process.pid}`);
  await writeDurable(latestTmp, JSON.stringify({ checkpoint: path.join("checkpoints", name), epoch: c.state.epoch }));
  await rename(latestTmp, path.join(outDir, LATEST_FILE));
  // Prune after the pointer moved: older checkpoints are only deleted once a newer one is reachable.
  const all = (await readdir(root)).filter((n) => /^epoch-\d{4}$/.test(n)).sort();
  for (const old of all.slice(0, Math.max(0, all.length - KEEP))) await rm(path.join(root, old), { recursive: true });
  return final;
}

/** A checkpoint directory itself, or a training output directory (→ the checkpoint latest.json names). */
export async function resolveCheckpointDir(dir: string): Promise<string> {
  try {
    await readFile(path.join(dir, MODEL_FILE));
    return dir;
  } catch {
    const latest = latestSchema.parse(JSON.parse(await readFile(path.join(dir, LATEST_FILE), "utf8")));
    return path.join(dir, latest.checkpoint);
  }
}

export async function hasCheckpoint(outDir: string): Promise<boolean> {
  try {
    await readFile(path.join(outDir, LATEST_FILE));
    return true;
  } catch {
    return false;
  }
}

export interface LoadedCheckpoint {
  dir: string;
  model: tf.LayersModel;
  config: TrainConfig;
  classes: ExportClass[];
  state: TrainState;
  /** The model a fine-tuning run started from (null for a run from scratch). */
  parent: CheckpointParent | null;
  /** Momentum buffers in trainableWeights order (dispose after use), with their variable names. */
  optimizer: { variables: string[]; buffers: tf.Tensor[] };
}

export async function loadCheckpoint(dirOrOut: string): Promise<LoadedCheckpoint> {
  const dir = await resolveCheckpointDir(dirOrOut);
  const readJson = async (f: string): Promise<unknown> => JSON.parse(await readFile(path.join(dir, f), "utf8"));
  const model = await tf.loadLayersModel(directoryIO(dir));
  const opt = optimizerFileSchema.parse(await readJson(OPTIMIZER_FILE));
  const bin = await readFile(path.join(dir, OPTIMIZER_BIN));
  const decoded = tf.io.decodeWeights(
    bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer,
    opt.weightSpecs as tf.io.WeightsManifestEntry[],
  );
  return {
    dir,
    model,
    config: trainConfigSchema.parse(await readJson(CONFIG_FILE)),
    classes: classesFileSchema.parse(await readJson(CLASSES_FILE)),
    state: trainStateSchema.parse(await readJson(STATE_FILE)),
    parent: await readJson(PARENT_FILE).then(
      (json) => checkpointParentSchema.parse(json),
      (err: NodeJS.ErrnoException) => {
        if (err.code === "ENOENT") return null;
        throw err;
      },
    ),
    optimizer: { variables: opt.variables, buffers: opt.variables.map((_, i) => decoded[`m${i}`] as tf.Tensor) },
  };
}

import { createHash } from "node:crypto";
import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { classesFileSchema, type ExportClass } from "@arbor/core";
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { type CheckpointParent, loadCheckpoint, resolveCheckpointDir } from "./checkpoint.ts";
import { type TrainConfig, trainConfigSchema } from "./config.ts";
import { directoryIO, MODEL_FILE } from "./file-io.ts";
import { freezeStages, headLayer, InitError, stageNames } from "./stages.ts";

/**
 * `train --init <dir>`: the starting weights of a fine-tuning run. <dir> is either
 *   - an Arbor training output or checkpoint directory (latest.json / config.json + classes.json): same
 *     architecture required, body copied whole, head rows kept for classes (wnids) present in both; or
 *   - a plain tfjs LayersModel directory (model.json + weight files, e.g. a converted Keras model): weights
 *     mapped by layer name and weight name (kernel, bias, gamma, …), with a report of what matched.
 * It also says what the parent is, for the model registry (parent.json in every checkpoint of the run).
 */
export { InitError };

/** What `predict --push` leaves in a training output directory once the platform registered the model. */
export const REGISTRY_FILE = "registry.json";
export const registryRecordSchema = z.object({ modelId: z.string().min(1), url: z.string() });
export type RegistryRecord = z.infer<typeof registryRecordSchema>;

export interface InitSource {
  kind: "checkpoint" | "layers-model";
  dir: string;
  model: tf.LayersModel;
  /** The source's output classes (null for a LayersModel without classes.json). */
  classes: ExportClass[] | null;
  /** Architecture of an Arbor checkpoint (null for a plain LayersModel). */
  config: TrainConfig | null;
  parent: CheckpointParent;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

async function readRegistryRecord(dirs: string[]): Promise<RegistryRecord | null> {
  for (const dir of dirs) {
    const file = path.join(dir, REGISTRY_FILE);
    if (await exists(file)) return registryRecordSchema.parse(JSON.parse(await readFile(file, "utf8")));
  }
  return null;
}

/** sha256 of the weight bytes, in manifest order: names a parent the registry does not know. */
async function weightsHash(dir: string): Promise<string> {
  const json = JSON.parse(await readFile(path.join(dir, MODEL_FILE), "utf8")) as {
    weightsManifest?: { paths: string[] }[];
  };
  const hash = createHash("sha256");
  for (const group of json.weightsManifest ?? []) {
    for (const p of group.paths) hash.update(await readFile(path.join(dir, p)));
  }
  return hash.digest("hex");
}

/** Reads an init directory; a clear InitError when it is neither kind. */
export async function openInitSource(dir: string): Promise<InitSource> {
  if (!(await exists(dir))) throw new InitError(`--init ${dir}: no such directory`);
  const isCheckpoint = (await exists(path.join(dir, "latest.json"))) || (await exists(path.join(dir, "config.json")));
  if (isCheckpoint) {
    const ckpt = await loadCheckpoint(dir).catch((err: unknown) => {
      throw new InitError(`--init ${dir}: not a readable Arbor checkpoint (${(err as Error).message})`);
    });
    tf.dispose(ckpt.optimizer.buffers);
    const outDir =
      path.basename(path.dirname(ckpt.dir)) === "checkpoints" ? path.dirname(path.dirname(ckpt.dir)) : ckpt.dir;
    const record = await readRegistryRecord([ckpt.dir, outDir]);
    return {
      kind: "checkpoint",
      dir: ckpt.dir,
      model: ckpt.model,
      classes: ckpt.classes,
      config: ckpt.config,
      parent: {
        name: path.basename(path.resolve(outDir)),
        sha256: await weightsHash(ckpt.dir),
        ...(record ? { modelId: record.modelId, registryUrl: record.url } : {}),
      },
    };
  }
  if (!(await exists(path.join(dir, MODEL_FILE)))) {
    throw new InitError(`--init ${dir}: neither an Arbor checkpoint (latest.json) nor a LayersModel (${MODEL_FILE})`);
  }
  const model = await tf.loadLayersModel(directoryIO(dir)).catch((err: unknown) => {
    throw new InitError(`--init ${dir}: ${MODEL_FILE} is not a loadable tfjs LayersModel (${(err as Error).message})`);
  });
  const classesFile = path.join(dir, "classes.json");
  const classes = (await exists(classesFile))
    ? classesFileSchema.parse(JSON.parse(await readFile(classesFile, "utf8")))
    : null;
  return {
    kind: "layers-model",
    dir,
    model,
    classes,
    config: null,
    parent: { name: path.basename(path.resolve(dir)), sha256: await weightsHash(dir) },
  };
}

/** A checkpoint's architecture must be the run's: the body is copied whole. */
export function checkArchitecture(source: InitSource, config: TrainConfig): void {
  const c = source.config;
  if (!c) return;
  const theirs = `${c.model} width ${c.width} at ${c.augment.size} px`;
  const ours = `${config.model} width ${config.width} at ${config.augment.size} px`;
  // Input size changes no conv weight, except where the builders switch stems (AlexNet, ResNet-18 at ≥ 64/128).
  if (c.model !== config.model || c.width !== config.width) {
    throw new InitError(`--init ${source.dir}: architecture mismatch: it is ${theirs}, this run builds ${ours}`);
  }
}

export interface InitReport {
  /** Weights copied as they are ("layer/weight"). */
  matched: string[];
  /** Same name, different shape: left at their fresh initialisation. */
  shapeMismatch: { name: string; source: number[]; target: number[] }[];
  /** Weights of the new model the source does not have: fresh. */
  missing: string[];
  /** Weights of the source the new model has no place for. */
  unused: string[];
  /** The classifier: rows (kernel columns + bias) kept by wnid, and fresh ones. */
  head: { layer: string; kept: string[]; fresh: string[] };
}

const shortName = (v: tf.LayerVariable) => v.originalName.split("/").pop() as string;

/**
 * Copies the source's weights into `target` (built fresh for `classes`). The head is never copied as a whole:
 * its column j takes the source's column for the same wnid, or keeps its fresh initialisation.
 */
export function applyInit(target: tf.LayersModel, source: InitSource, classes: ExportClass[]): InitReport {
  const report: InitReport = {
    matched: [],
    shapeMismatch: [],
    missing: [],
    unused: [],
    head: { layer: "", kept: [], fresh: [] },
  };
  const head = headLayer(target);
  report.head.layer = head.name;
  const used = new Set<string>();
  const sourceLayers = new Map(source.model.layers.map((l) => [l.name, l]));
  for (const layer of target.layers) {
    if (layer.weights.length === 0) continue;
    const from = sourceLayers.get(layer.name);
    if (layer === head) {
      copyHeadRows(layer, from, source.classes, classes, report);
      if (from && report.head.kept.length > 0) used.add(from.name);
      continue;
    }
    const values = layer.getWeights();
    const fromWeights = from?.getWeights() ?? [];
    const fromValues = from ? new Map(from.weights.map((w, i) => [shortName(w), fromWeights[i]])) : null;
    let changed = false;
    layer.weights.forEach((w, i) => {
      const name = `${layer.name}/${shortName(w)}`;
      const v = fromValues?.get(shortName(w));
      if (!v) {
        report.missing.push(name);
      } else if (v.shape.join() !== w.shape.join()) {
        report.shapeMismatch.push({ name, source: v.shape, target: w.shape as number[] });
      } else {
        values[i] = v;
        changed = true;
        report.matched.push(name);
      }
    });
    if (changed) layer.setWeights(values);
    if (from) used.add(from.name);
  }
  for (const l of source.model.layers) {
    if (!used.has(l.name)) for (const w of l.weights) report.unused.push(`${l.name}/${shortName(w)}`);
  }
  return report;
}

function copyHeadRows(
  head: tf.layers.Layer,
  from: tf.layers.Layer | undefined,
  sourceClasses: ExportClass[] | null,
  classes: ExportClass[],
  report: InitReport,
): void {
  const [kernel, bias] = head.getWeights();
  const [srcKernel, srcBias] = from ? from.getWeights() : [];
  const byWnid = new Map((sourceClasses ?? []).map((c) => [c.wnid, c.index]));
  const usable = kernel && bias && srcKernel && srcBias && sourceClasses && srcKernel.shape[0] === kernel.shape[0];
  if (!usable) {
    report.head.fresh = classes.map((c) => c.wnid);
    return;
  }
  const k = kernel.arraySync() as number[][];
  const b = bias.arraySync() as number[];
  const sk = srcKernel.arraySync() as number[][];
  const sb = srcBias.arraySync() as number[];
  for (const c of classes) {
    const i = byWnid.get(c.wnid);
    if (i === undefined || i >= sb.length) {
      report.head.fresh.push(c.wnid);
      continue;
    }
    for (let r = 0; r < k.length; r++) (k[r] as number[])[c.index] = (sk[r] as number[])[i] as number;
    b[c.index] = sb[i] as number;
    report.head.kept.push(c.wnid);
  }
  head.setWeights([tf.tensor2d(k), tf.tensor1d(b)]);
}

/** The report as lines for the log; throws when nothing of a LayersModel matched (the names differ). */
export function describeInit(source: InitSource, report: InitReport): string[] {
  const lines = [
    `init from ${source.kind === "checkpoint" ? "checkpoint" : "LayersModel"} ${source.dir}: ` +
      `${report.matched.length} weights matched, ${report.shapeMismatch.length} shape mismatches, ` +
      `${report.missing.length} missing (fresh), ${report.unused.length} unused; ` +
      `head ${report.head.layer}: ${report.head.kept.length} class rows kept, ${report.head.fresh.length} fresh`,
  ];
  for (const m of report.shapeMismatch) lines.push(`  shape mismatch ${m.name}: [${m.source}] → [${m.target}]`);
  if (source.kind === "layers-model") {
    for (const n of report.missing) lines.push(`  missing ${n}`);
    for (const n of report.unused) lines.push(`  unused ${n}`);
  }
  return lines;
}

/** Refuses an init that carries nothing over, or (for a checkpoint) a body that does not fit whole. */
export function assertUsable(source: InitSource, report: InitReport): void {
  if (report.matched.length === 0 && report.head.kept.length === 0) {
    throw new InitError(
      `--init ${source.dir}: no layer matched by name and shape (${report.missing.length} weights of this model, ` +
        `${report.unused.length} of the source; e.g. ${report.missing.slice(0, 3).join(", ") || "none"} vs ` +
        `${report.unused.slice(0, 3).join(", ") || "none"})`,
    );
  }
  if (source.kind === "checkpoint" && (report.shapeMismatch.length > 0 || report.missing.length > 0)) {
    const first = report.shapeMismatch[0]?.name ?? report.missing[0];
    throw new InitError(`--init ${source.dir}: architecture mismatch: the body does not fit whole (${first})`);
  }
}

/** Optimiser variables with their learning-rate scale: the head at 1, the body at `init.bodyLrScale`. */
export function scaledVariables(
  model: tf.LayersModel,
  vars: { name: string; variable: tf.Variable }[],
  config: TrainConfig,
): { name: string; variable: tf.Variable; lrScale?: number }[] {
  if (!config.init) return vars;
  const head = `${headLayer(model).name}/`;
  const body = config.init.bodyLrScale;
  return vars.map((v) => (v.name.startsWith(head) ? v : { ...v, lrScale: body }));
}

/**
 * Builds nothing itself: given the run's freshly built model, copies the source in, freezes the lowest stages
 * and logs the report. Returns the parent to record in every checkpoint.
 */
export async function initModel(
  model: tf.LayersModel,
  config: TrainConfig,
  classes: ExportClass[],
  log: (line: string) => void,
): Promise<CheckpointParent> {
  const init = config.init;
  if (!init) throw new Error("initModel needs config.init");
  const source = await openInitSource(init.from);
  try {
    checkArchitecture(source, config);
    if (init.freeze > 0) freezeStages(model, config.model, init.freeze); // before copying: a bad --freeze fails fast
    const report = applyInit(model, source, classes);
    for (const line of describeInit(source, report)) log(line);
    assertUsable(source, report);
    if (init.freeze > 0) {
      log(
        `frozen: the lowest ${init.freeze} of ${stageNames(config.model).length} stages (${stageNames(config.model).slice(0, init.freeze).join(", ")})`,
      );
    }
    log(`body learning rate: ${init.bodyLrScale} × lr; head ${report.head.layer}: lr`);
    return source.parent;
  } finally {
    source.model.dispose();
  }
}

/**
 * model/width/input size of an Arbor checkpoint, as config defaults for the run that fine-tunes it ({} for a
 * LayersModel or a missing directory: the trainer reports those). Reads config.json only, before the backend starts.
 */
export async function initDefaults(dir: string): Promise<Record<string, unknown>> {
  if (!(await exists(path.join(dir, "latest.json"))) && !(await exists(path.join(dir, "config.json")))) return {};
  try {
    const ckptDir = await resolveCheckpointDir(dir);
    const c = trainConfigSchema.parse(JSON.parse(await readFile(path.join(ckptDir, "config.json"), "utf8")));
    return { model: c.model, width: c.width, augment: { size: c.augment.size } };
  } catch (err) {
    throw new InitError(`--init ${dir}: not a readable Arbor checkpoint (${(err as Error).message})`);
  }
}

/**
 * The parent as `POST /api/v1/models` takes it. Its registry id is sent only to the platform that issued it
 * (an id from another platform would name an unrelated model, or be refused as unknown).
 */
export function parentForUpload(
  parent: CheckpointParent | null,
  baseUrl: string,
): { id?: string; name: string; sha256: string } | undefined {
  if (!parent) return undefined;
  const same = parent.registryUrl !== undefined && sameOrigin(parent.registryUrl, baseUrl);
  return { name: parent.name, sha256: parent.sha256, ...(same && parent.modelId ? { id: parent.modelId } : {}) };
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/** Written by `predict --push` into the training output directory, so a later `--init` knows the registry id. */
export async function writeRegistryRecord(outDir: string, record: RegistryRecord): Promise<void> {
  await writeFile(path.join(outDir, REGISTRY_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

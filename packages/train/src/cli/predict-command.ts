import { createWriteStream } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { splitSchema } from "@arbor/core";
import * as tf from "@tensorflow/tfjs";
import type { Command } from "commander";
import { z } from "zod";
import { createDecodePool, defaultWorkerCount } from "../data/decode-pool.ts";
import { chooseEngine, ENGINE_NAMES, type EngineName } from "../inference/engine.ts";
import { ONNX_FILE } from "../onnx/export.ts";
import { checkpointExportInfo, exportCheckpointOnnx } from "../onnx/export-checkpoint.ts";
import { loadCheckpoint } from "../training/checkpoint.ts";
import { parentForUpload, writeRegistryRecord } from "../training/init-from.ts";
import { readMetrics } from "../training/metrics-log.ts";
import {
  type ChallengeLine,
  challengeLine,
  openImages,
  type PredictionRecord,
  predictTopK,
} from "../training/predict.ts";
import { createModel, type PredictionLine, pushPredictions, uploadArtifacts } from "../training/push-client.ts";
import { startBackend } from "./backend.ts";
import { backendFlag, intFlag, nonNegIntFlag, parseFlags } from "./options.ts";

const flagsSchema = z
  .object({
    images: z.string().min(1),
    model: z.string().min(1),
    topK: intFlag.default(5),
    split: splitSchema.default("test"),
    out: z.string().optional(),
    push: z.url().optional(),
    token: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
    datasetVersionId: z.string().min(1).optional(),
    batchSize: intFlag.default(256),
    backend: backendFlag,
    engine: z.enum(ENGINE_NAMES as [EngineName, ...EngineName[]]).optional(),
    workers: nonNegIntFlag.optional(),
    submission: z.boolean().default(false),
  })
  .refine((f) => !f.push || f.token, { message: "--push needs --token", path: ["token"] });

export function registerPredictCommand(program: Command): void {
  program
    .command("predict")
    .description("top-k predictions per image as JSON lines; --push sends them to the platform as pre-labels")
    .requiredOption("--images <export|dir>", "an export (its --split) or a directory of images")
    .requiredOption("--model <dir>", "a training output directory or one checkpoint directory")
    .option("--top-k <k>", "predictions per image", "5")
    .option("--split <split>", "split of an export to predict", "test")
    .option("--out <file>", "write JSON lines here instead of stdout")
    .option("--push <url>", "platform base URL, e.g. http://localhost:3000")
    .option("--token <token>", "API token for --push")
    .option("--name <name>", "model name on the platform (default: the output directory's name)")
    .option("--dataset-version-id <id>", "dataset version the model was trained on")
    .option("--batch-size <n>", "inference batch size", "256")
    .option("--backend <name>", "tfjs backend (for --engine tfjs)")
    .option("--engine <onnx|tfjs>", "inference engine (default: onnx when onnxruntime-node is installed, else tfjs)")
    .option("--workers <n>", "decode worker threads")
    .option(
      "--submission",
      'write a challenge submission: {"imageId","wnids"} per image, the id taken from the test archive\'s file names',
    )
    .action(async (raw: unknown) => {
      const f = parseFlags(flagsSchema, raw);
      await startBackend(f.backend);
      const ckpt = await loadCheckpoint(f.model);
      tf.dispose(ckpt.optimizer.buffers);
      const engine = await chooseEngine(ckpt.model, checkpointExportInfo(ckpt), f.engine);
      console.error(`engine: ${engine.name} (${engine.detail})`);
      const source = await openImages(f.images, f.split);
      const pool = createDecodePool(f.workers ?? defaultWorkerCount());
      const sink = f.out ? createWriteStream(f.out) : process.stdout;
      const pushLines: PredictionLine[] = [];
      let count = 0;
      try {
        for await (const rec of predictTopK(engine, source, ckpt.classes, {
          k: f.topK,
          batchSize: f.batchSize,
          spec: ckpt.config.augment,
          pool,
          prefetch: 3,
        })) {
          const line: PredictionRecord | ChallengeLine = f.submission ? challengeLine(rec) : rec;
          if (!sink.write(`${JSON.stringify(line)}\n`)) await new Promise<void>((r) => sink.once("drain", () => r()));
          // Pre-labels are ~100 bytes per line: holding them until the model exists server-side is cheap.
          if (f.push) for (const p of rec.predictions) pushLines.push({ sha256: rec.sha256, ...p });
          count++;
        }
      } finally {
        await engine.dispose();
        await pool.close();
        if (sink !== process.stdout) await new Promise<void>((r) => sink.end(() => r()));
      }
      console.error(`${count} images predicted${f.out ? ` → ${f.out}` : ""}`);
      if (!f.push || !f.token) return;
      const outDir = ckpt.dir.includes(`${path.sep}checkpoints${path.sep}`)
        ? path.dirname(path.dirname(ckpt.dir))
        : ckpt.dir;
      const curve = await readMetrics(outDir);
      const last = curve.at(-1);
      const opts = { baseUrl: f.push, token: f.token };
      // A fine-tuned run names its parent: by registry id when it came from this same platform.
      const parent = parentForUpload(ckpt.parent, f.push);
      const id = await createModel(opts, {
        name: f.name ?? path.basename(path.resolve(outDir)),
        architecture: ckpt.config.model,
        ...(f.datasetVersionId ? { datasetVersionId: f.datasetVersionId } : {}),
        metrics: {
          epochs: ckpt.state.epoch,
          ...(last ? { valTop1: last.valTop1, valTop5: last.valTop5, valLoss: last.valLoss } : {}),
          dataset: ckpt.state.dataset,
          // Shown on the model's page: what an image must go through before the model (or model.onnx) sees it.
          preprocessing: checkpointExportInfo(ckpt).preprocessing,
        },
        curve,
        classes: ckpt.classes.map((c) => c.wnid),
        ...(parent ? { parent } : {}),
      });
      // A later `train --init <this run>` reads the registry id from here, so its child links to this model.
      await writeRegistryRecord(outDir, { modelId: id, url: f.push });
      // The checkpoint's files become the model's artifacts in the platform's blob store, with the model as
      // ONNX beside them (usable outside Arbor: onnxruntime, OpenCV, TensorRT…).
      const names = (await readdir(ckpt.dir))
        .filter((name) => /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) && name !== ONNX_FILE)
        .sort();
      const files = await Promise.all(
        names.map(async (name) => ({ name, bytes: new Uint8Array(await readFile(path.join(ckpt.dir, name))) })),
      );
      files.push({ name: ONNX_FILE, bytes: exportCheckpointOnnx(ckpt) });
      names.push(ONNX_FILE);
      await uploadArtifacts(opts, id, files);
      console.error(`model ${id}: uploaded ${names.join(", ")}`);
      const res = await pushPredictions(opts, id, pushLines, (sent) =>
        console.error(`pushed ${sent}/${pushLines.length}`),
      );
      console.error(`model ${id}: ${res.accepted} predictions accepted, ${res.unknownImages} unknown images`);
    });
}

/**
 * The CIFAR-10 recipe, measured end to end through the CLI (packages/train/README.md: "CIFAR-10 recipe"), then
 * the exported ONNX file checked against tfjs over the whole test split:
 *   1. a full CIFAR-10 export (50,000 train / 10,000 test, from the real JPEGs in ../shared/data; the same
 *      JSONL layout `arbor export` writes) unless --data names one;
 *   2. `arbor-train train --config recipes/cifar10.json`, timed;
 *   3. `arbor-train evaluate` on the test split;
 *   4. `arbor-train export-onnx`, then every test image through onnxruntime-node (the file just written), the
 *      fused tfjs path (what evaluate and predict run) and the unfolded LayersModel; the top-1 agreement of
 *      each pair.
 *   npx tsx packages/train/scripts/cifar10-recipe.ts --out <dir> [--data <export>] [--skip-train]
 *     [--train-limit n --epochs n]   a quick smoke run of the same steps (not the recipe's figures)
 * The last line is one JSON object: accuracy, wall times, agreement.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { startBackend } from "../src/cli/backend.ts";
import { createDecodePool, defaultWorkerCount } from "../src/data/decode-pool.ts";
import { type InferenceEngine, onnxEngine, tfjsEngine } from "../src/inference/engine.ts";
import { makeExportFixture } from "../src/testing/make-export-fixture.ts";
import { loadCheckpoint } from "../src/training/checkpoint.ts";
import { inferBatches } from "../src/training/infer-batches.ts";
import { openImages } from "../src/training/predict.ts";

const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const out = path.resolve(arg("--out") ?? "runs/cifar10-recipe");
const data = path.resolve(arg("--data") ?? path.join(out, "export"));
const runDir = path.join(out, "cifar10-r9");
const onnxFile = path.join(runDir, "model.onnx");
const pkg = path.resolve(import.meta.dirname, "..");
const log = (line: string) => console.error(line);

function cli(...args: string[]): number {
  log(`$ arbor-train ${args.join(" ")}`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [path.join(pkg, "bin/arbor-train.mjs"), ...args], { stdio: "inherit" });
  if (r.status !== 0) throw new Error(`arbor-train ${args[0]} exited with ${r.status ?? r.signal}`);
  return (performance.now() - t0) / 1000;
}

if (!existsSync(path.join(data, "export.json"))) {
  log(`writing the CIFAR-10 export to ${data}`);
  makeExportFixture({ out: data, format: "jsonl", perClass: { train: 5000, test: 1000 } });
}
const trainSeconds = process.argv.includes("--skip-train")
  ? Number.NaN
  : cli(
      "train",
      ...["--data", data, "--out", runDir, "--config", path.join(pkg, "recipes/cifar10.json")],
      ...["--train-limit", "--epochs"].flatMap((f) => (arg(f) ? [f, arg(f) as string] : [])),
    );
cli("evaluate", "--data", data, "--model", runDir);
const evaluation = JSON.parse(readFileSync(path.join(runDir, "eval-test.json"), "utf8")) as {
  top1Error: number;
  top5Error: number;
  images: number;
};
cli("export-onnx", "--model", runDir, "--out", onnxFile);

await startBackend(undefined);
const ckpt = await loadCheckpoint(runDir);
tf.dispose(ckpt.optimizer.buffers);
const pool = createDecodePool(defaultWorkerCount());
const shape = (ckpt.model.inputs[0]?.shape ?? []).slice(1) as number[];
const k = ckpt.classes.length;

/** Top-1 class of every test image, in the export's order. */
async function top1(engine: InferenceEngine): Promise<Int32Array> {
  const classes: number[] = [];
  for await (const { batch, logits } of inferBatches(engine, await openImages(data, "test"), {
    batchSize: 256,
    spec: ckpt.config.augment,
    pool,
    prefetch: 2,
  })) {
    for (let i = 0; i < batch.size; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if ((logits[i * k + c] as number) > (logits[i * k + best] as number)) best = c;
      classes.push(best);
    }
  }
  await engine.dispose();
  return Int32Array.from(classes);
}

/** The LayersModel as trained, BatchNorm unfolded: the reference the folded paths are checked against. */
const layersEngine: InferenceEngine = {
  name: "tfjs",
  detail: "tfjs LayersModel.predict, unfolded",
  async run(x, n) {
    const y = tf.tidy(() => ckpt.model.predict(tf.tensor4d(x, [n, ...shape] as [number, number, number, number])));
    const logits = (await (y as tf.Tensor).data()) as Float32Array;
    tf.dispose(y);
    return logits;
  },
  async dispose() {},
};

try {
  const unfolded = await top1(layersEngine);
  const fused = await top1(tfjsEngine(ckpt.model));
  const onnx = await top1(await onnxEngine(readFileSync(onnxFile), shape));
  const agreement = (a: Int32Array, b: Int32Array) => a.filter((c, i) => c === b[i]).length / a.length;
  const figures = {
    bench: "cifar10-recipe",
    backend: tf.getBackend(),
    testImages: unfolded.length,
    top1: 1 - evaluation.top1Error,
    top5: 1 - evaluation.top5Error,
    trainMinutes: Math.round((trainSeconds / 60) * 10) / 10,
    onnxVsTfjs: agreement(onnx, fused),
    onnxVsUnfolded: agreement(onnx, unfolded),
    tfjsFusedVsUnfolded: agreement(fused, unfolded),
  };
  console.log(
    `test top-1 ${(figures.top1 * 100).toFixed(2)} % on ${figures.testImages} images; training ${figures.trainMinutes} min`,
  );
  console.log(
    `top-1 agreement: onnx vs tfjs ${(figures.onnxVsTfjs * 100).toFixed(2)} %, onnx vs unfolded ${(figures.onnxVsUnfolded * 100).toFixed(2)} %`,
  );
  console.log(JSON.stringify(figures));
} finally {
  await pool.close();
}
process.exit(0);

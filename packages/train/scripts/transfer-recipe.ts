/**
 * Transfer-learning recipe and measurement (README: "Transfer learning"). Pre-trains on one export (6 CIFAR-10
 * classes), then trains on a different, small export (the other 4 classes, ≤ 100 train images per class) twice
 * with the same architecture and budget (epochs, batch, schedule, seed): fine-tuned from the pre-trained model
 * (`init`, like `train --init`) and from scratch. Prints both test top-1 accuracies; the last line is one JSON
 * object with the ratio fine-tuned / from-scratch.
 *   npx tsx packages/train/scripts/transfer-recipe.ts [--out dir] [--pre-per-class 500] [--pre-epochs 5]
 *     [--per-class 100] [--epochs 5] [--test-per-class 250] [--model resnet8] [--width 1] [--freeze 0]
 *     [--body-lr-scale 1]
 *     [--pre <training output dir>]   reuse a pre-trained run (e.g. <out>/pre of an earlier run) instead of training one
 * Exports are written from the real CIFAR-10 JPEGs in ../shared/data by the test fixture writer.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { initBackend } from "../src/backends/index.ts";
import { modelNameSchema } from "../src/models/registry.ts";
import { makeExportFixture } from "../src/testing/make-export-fixture.ts";
import { parseTrainConfig } from "../src/training/config.ts";
import { train } from "../src/training/trainer.ts";

const arg = (name: string, fallback: string) =>
  process.argv.includes(name) ? (process.argv[process.argv.indexOf(name) + 1] as string) : fallback;
const num = (name: string, fallback: number) => Number(arg(name, String(fallback)));

const PRE_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog"];
const SMALL_CLASSES = ["frog", "horse", "ship", "truck"];
const opts = {
  prePerClass: num("--pre-per-class", 500),
  preEpochs: num("--pre-epochs", 5),
  perClass: num("--per-class", 100),
  epochs: num("--epochs", 5),
  testPerClass: num("--test-per-class", 250),
  model: modelNameSchema.parse(arg("--model", "resnet8")),
  width: num("--width", 1),
  freeze: num("--freeze", 0),
  // 1, not the CLI's 0.1: this body is weakly pre-trained (57 % train accuracy), and at 0.1 the fine-tuned
  // model only tied its twin here (74.3 vs 73.3 % at 10 epochs, 71.6 vs 71.6 % at 5; README), at 1 it won.
  bodyLrScale: num("--body-lr-scale", 1),
  batchSize: num("--batch-size", 32),
  lr: num("--lr", 0.1),
};
if (opts.perClass > 100) throw new Error("--per-class: the small export has at most 100 images per class");
const keep = process.argv.includes("--out");
const out = keep ? path.resolve(arg("--out", "")) : mkdtempSync(path.join(os.tmpdir(), "arbor-transfer-"));
const backend = (await initBackend("wasm").catch(() => initBackend("cpu"))).name;
const log = (line: string) => console.error(line);

const started = performance.now();
const preData = path.join(out, "export-pre");
const smallData = path.join(out, "export-small");
const reuse = process.argv.includes("--pre") ? path.resolve(arg("--pre", "")) : null;
if (!reuse) {
  makeExportFixture({ out: preData, format: "jsonl", classes: PRE_CLASSES, perClass: { train: opts.prePerClass } });
}
makeExportFixture({
  out: smallData,
  format: "jsonl",
  classes: SMALL_CLASSES,
  perClass: { train: opts.perClass, test: opts.testPerClass },
});

const base = {
  model: opts.model,
  width: opts.width,
  batchSize: opts.batchSize,
  lr: opts.lr,
  augment: { size: 32, crop: "pad-crop" },
  seed: 0,
  data: { workers: 1 },
};
const timed = async <T>(what: string, fn: () => Promise<T>): Promise<{ value: T; seconds: number }> => {
  const t0 = performance.now();
  log(`── ${what}`);
  const value = await fn();
  return { value, seconds: (performance.now() - t0) / 1000 };
};

const preOut = reuse ?? path.join(out, "pre");
const pre = reuse
  ? { value: [], seconds: 0 }
  : await timed(`pre-train ${opts.model} on ${PRE_CLASSES.length} classes × ${opts.prePerClass}`, () =>
      train({
        data: preData,
        out: preOut,
        config: parseTrainConfig(base, { epochs: opts.preEpochs, data: { valSplit: null } }),
        log,
      }),
    );
const small = { epochs: opts.epochs, data: { valSplit: "test" } };
const fine = await timed(`fine-tune on ${SMALL_CLASSES.length} new classes × ${opts.perClass}`, () =>
  train({
    data: smallData,
    out: path.join(out, "fine-tuned"),
    config: parseTrainConfig(base, small, {
      init: { from: preOut, freeze: opts.freeze, bodyLrScale: opts.bodyLrScale },
    }),
    log,
  }),
);
const scratch = await timed("the same from scratch", () =>
  train({ data: smallData, out: path.join(out, "scratch"), config: parseTrainConfig(base, small), log }),
);

const top1 = (rows: { valTop1: number | null }[]) => rows.at(-1)?.valTop1 ?? Number.NaN;
const fineTop1 = top1(fine.value);
const scratchTop1 = top1(scratch.value);
console.log(`fine-tuned   test top-1 ${(fineTop1 * 100).toFixed(1)} % (${fine.seconds.toFixed(0)} s)`);
console.log(`from scratch test top-1 ${(scratchTop1 * 100).toFixed(1)} % (${scratch.seconds.toFixed(0)} s)`);
console.log(
  JSON.stringify({
    bench: "transfer",
    backend,
    ...opts,
    ...(reuse ? { reusedPreTraining: reuse } : {}),
    testImages: opts.testPerClass * SMALL_CLASSES.length,
    preTrainSeconds: Math.round(pre.seconds),
    fineTunedTop1: fineTop1,
    scratchTop1,
    ratio: fineTop1 / scratchTop1,
    totalSeconds: Math.round((performance.now() - started) / 1000),
  }),
);
if (!keep) rmSync(out, { recursive: true, force: true });
process.exit(0);

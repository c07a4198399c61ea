import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { z } from "zod";
import { modelNameSchema } from "../models/registry.ts";
import { parseTrainConfig } from "../training/config.ts";
import { initDefaults } from "../training/init-from.ts";
import { train } from "../training/trainer.ts";
import { startBackend } from "./backend.ts";
import { backendFlag, intFlag, nonNegIntFlag, numFlag, parseFlags } from "./options.ts";
import { progressBar } from "./progress.ts";

const flagsSchema = z.object({
  data: z.string().min(1),
  out: z.string().min(1),
  config: z.string().optional(),
  resume: z.boolean().optional(),
  model: modelNameSchema.optional(),
  width: numFlag.optional(),
  epochs: intFlag.optional(),
  batchSize: intFlag.optional(),
  lr: numFlag.optional(),
  weightDecay: numFlag.optional(),
  labelSmoothing: numFlag.optional(),
  schedule: z.enum(["cosine", "onecycle", "constant"]).optional(),
  imageSize: intFlag.optional(),
  crop: z.enum(["random-resized", "pad-crop", "none"]).optional(),
  seed: nonNegIntFlag.optional(),
  backend: backendFlag,
  workers: nonNegIntFlag.optional(),
  trainLimit: intFlag.optional(),
  valLimit: intFlag.optional(),
  valSplit: z.enum(["train", "val", "test", "none"]).optional(),
  init: z.string().min(1).optional(),
  freeze: nonNegIntFlag.optional(),
  bodyLrScale: numFlag.optional(),
});

export function registerTrainCommand(program: Command): void {
  program
    .command("train")
    .description("train a model on an export's train split; checkpoints and metrics.jsonl go to --out")
    .requiredOption("--data <export>", "export directory or s3://bucket/prefix")
    .requiredOption("--out <dir>", "output directory (checkpoints, metrics.jsonl)")
    .option("--config <file>", "JSON training config; flags override it")
    .option("--resume", "continue from the last checkpoint in --out")
    .option("--model <name>", "alexnet | vgg-small | resnet8 | resnet9 | resnet20 | resnet18")
    .option("--width <x>", "channel-width multiplier")
    .option("--epochs <n>")
    .option("--batch-size <n>")
    .option("--lr <x>", "peak learning rate")
    .option("--weight-decay <x>", "L2 weight decay on kernels")
    .option("--label-smoothing <x>")
    .option("--schedule <kind>", "onecycle | cosine | constant")
    .option("--image-size <n>", "model input size")
    .option("--crop <kind>", "train augmentation: pad-crop | random-resized | none")
    .option("--seed <n>")
    .option("--backend <name>", "webgpu | tensorflow | wasm | cpu (default: fastest available)")
    .option("--workers <n>", "decode worker threads (0 = in-process)")
    .option("--train-limit <n>", "train on a seeded subset of n images")
    .option("--val-limit <n>", "validate on a seeded subset of n images")
    .option("--val-split <split>", "val | test | train | none")
    .option("--init <model dir>", "fine-tune: start from a training output/checkpoint or a tfjs LayersModel directory")
    .option("--freeze <n>", "with --init: do not train the lowest n stages (see README: stages)")
    .option("--body-lr-scale <x>", "with --init: the body's learning rate is lr × x (default 0.1; the head gets lr)")
    .action(async (raw: unknown) => {
      const f = parseFlags(flagsSchema, raw);
      if ((f.freeze !== undefined || f.bodyLrScale !== undefined) && !f.init && !f.resume) {
        throw new Error("--freeze and --body-lr-scale need --init <model dir>");
      }
      const fromFile = f.config ? (JSON.parse(await readFile(f.config, "utf8")) as Record<string, unknown>) : {};
      const fromFlags = {
        model: f.model,
        width: f.width,
        epochs: f.epochs,
        batchSize: f.batchSize,
        lr: f.lr,
        weightDecay: f.weightDecay,
        labelSmoothing: f.labelSmoothing,
        schedule: f.schedule ? { kind: f.schedule } : undefined,
        augment: f.imageSize || f.crop ? { size: f.imageSize, crop: f.crop } : undefined,
        seed: f.seed,
        backend: f.backend,
        init: f.init ? { from: f.init, freeze: f.freeze, bodyLrScale: f.bodyLrScale } : undefined,
        data: {
          workers: f.workers,
          trainLimit: f.trainLimit,
          valLimit: f.valLimit,
          valSplit: f.valSplit === "none" ? null : f.valSplit,
        },
      };
      const withSize = { augment: { size: 32 } }; // the schema needs a size; a file or flag overrides it
      // A checkpoint's architecture is the fine-tuning run's default (a file or flag may only repeat it).
      const fromInit = f.init ? await initDefaults(f.init) : {};
      const config = parseTrainConfig(withSize, fromInit, fromFile, fromFlags);
      await startBackend(config.backend);
      const bar = progressBar("train", "{phase} loss {loss} acc {acc} | {ips} img/s | lr {lr}");
      await train({
        data: f.data,
        out: f.out,
        config,
        resume: f.resume,
        log: (line) => {
          bar.stop();
          console.error(line);
        },
        onProgress: (p) =>
          bar.update(p.done, p.total, {
            phase: `${p.phase} ${p.epoch}/${p.epochs}`,
            loss: p.loss?.toFixed(3) ?? "-",
            acc: p.acc !== undefined ? `${(p.acc * 100).toFixed(1)}%` : "-",
            ips: p.imgPerSec?.toFixed(0) ?? "-",
            lr: p.lr?.toExponential(2) ?? "-",
          }),
      });
      bar.stop();
    });
}

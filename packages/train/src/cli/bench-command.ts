import type { Command } from "commander";
import { z } from "zod";
import { modelNameSchema } from "../models/registry.ts";
import { benchModel } from "../training/bench.ts";
import { backendChoiceSchema } from "../training/config.ts";
import { startBackend } from "./backend.ts";
import { intFlag, numFlag, parseFlags } from "./options.ts";

const flagsSchema = z.object({
  model: modelNameSchema.default("resnet20"),
  width: numFlag.default(1),
  backends: z
    .string()
    .default("webgpu,tensorflow,wasm,cpu")
    .transform((s) => s.split(",").map((b) => b.trim()))
    .pipe(z.array(backendChoiceSchema)),
  batchSize: intFlag.default(64),
  imageSize: intFlag.default(32),
  classes: intFlag.default(10),
  steps: intFlag.default(5),
  warmup: z.coerce.number().int().nonnegative().default(2),
  json: z.boolean().optional(),
});

export function registerBenchCommand(program: Command): void {
  program
    .command("bench")
    .description("train and inference img/s of a model on each available backend (synthetic data)")
    .option("--model <name>", "model", "resnet20")
    .option("--width <x>", "channel-width multiplier", "1")
    .option("--backends <list>", "comma-separated backends to try", "webgpu,tensorflow,wasm,cpu")
    .option("--batch-size <n>", "batch size", "64")
    .option("--image-size <n>", "input size", "32")
    .option("--classes <n>", "number of classes", "10")
    .option("--steps <n>", "timed steps", "5")
    .option("--warmup <n>", "untimed steps first", "2")
    .option("--json", "print one JSON line per backend")
    .action(async (raw: unknown) => {
      const f = parseFlags(flagsSchema, raw);
      for (const requested of f.backends) {
        let name: string;
        try {
          name = await startBackend(requested);
        } catch (err) {
          console.error(`${requested}: unavailable (${err instanceof Error ? err.message : String(err)})`);
          continue;
        }
        const r = await benchModel({
          model: f.model,
          width: f.width,
          inputSize: f.imageSize,
          numClasses: f.classes,
          batchSize: f.batchSize,
          steps: f.steps,
          warmup: f.warmup,
        });
        const row = {
          backend: name,
          model: f.model,
          width: f.width,
          batchSize: f.batchSize,
          imageSize: f.imageSize,
          ...r,
        };
        if (f.json) console.log(JSON.stringify(row));
        else {
          console.log(
            `${name}\t${f.model}\ttrain ${r.trainImgPerSec.toFixed(1)} img/s\tinference ${r.inferImgPerSec.toFixed(1)} img/s`,
          );
        }
      }
    });
}

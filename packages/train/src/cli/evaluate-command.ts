import { writeFile } from "node:fs/promises";
import path from "node:path";
import { splitSchema } from "@arbor/core";
import * as tf from "@tensorflow/tfjs";
import type { Command } from "commander";
import { z } from "zod";
import { createDecodePool, defaultWorkerCount } from "../data/decode-pool.ts";
import { readHierarchy } from "../data/export-meta.ts";
import { openExport } from "../data/open-dataset.ts";
import { loadCheckpoint } from "../training/checkpoint.ts";
import { HierarchyDistance } from "../training/hierarchical-distance.ts";
import { evaluateSplit } from "../training/run-eval.ts";
import { startBackend } from "./backend.ts";
import { backendFlag, intFlag, nonNegIntFlag, parseFlags } from "./options.ts";
import { progressBar } from "./progress.ts";

const flagsSchema = z.object({
  data: z.string().min(1),
  model: z.string().min(1),
  split: splitSchema.default("test"),
  out: z.string().optional(),
  batchSize: intFlag.default(256),
  backend: backendFlag,
  workers: nonNegIntFlag.optional(),
  limit: intFlag.optional(),
});

export function registerEvaluateCommand(program: Command): void {
  program
    .command("evaluate")
    .description("top-1/top-5 and hierarchical error, per-class accuracy and confusion matrix on a split")
    .requiredOption("--data <export>", "export directory or s3://bucket/prefix")
    .requiredOption("--model <dir>", "a training output directory or one checkpoint directory")
    .option("--split <split>", "train | val | test", "test")
    .option("--out <file>", "JSON result (default: <model>/eval-<split>.json)")
    .option("--batch-size <n>", "inference batch size", "256")
    .option("--backend <name>")
    .option("--workers <n>", "decode worker threads")
    .option("--limit <n>", "evaluate a seeded subset of n images")
    .action(async (raw: unknown) => {
      const f = parseFlags(flagsSchema, raw);
      await startBackend(f.backend);
      const ckpt = await loadCheckpoint(f.model);
      tf.dispose(ckpt.optimizer.buffers); // evaluation needs only the weights
      const dataset = await openExport(f.data);
      if (!dataset.has(f.split, true)) throw new Error(`${f.data} has no labelled ${f.split} split`);
      const mismatch = dataset.classes.find((c, i) => ckpt.classes[i]?.wnid !== c.wnid);
      if (mismatch || dataset.classes.length !== ckpt.classes.length) {
        throw new Error("the export's classes differ from the model's (classes.json): evaluate on the same class list");
      }
      const source = await dataset.split(f.split, { limit: f.limit, seed: ckpt.config.seed });
      const hierarchy = new HierarchyDistance(await readHierarchy(dataset.reader));
      const pool = createDecodePool(f.workers ?? defaultWorkerCount());
      const bar = progressBar(`evaluate ${f.split}`, "{ips} img/s");
      const started = performance.now();
      try {
        const result = await evaluateSplit(ckpt.model, source, dataset.classes, hierarchy, {
          batchSize: f.batchSize,
          spec: ckpt.config.augment,
          pool,
          prefetch: 3,
          onBatch: (done, total) =>
            bar.update(done, total, { ips: (done / ((performance.now() - started) / 1000)).toFixed(0) }),
        });
        bar.stop();
        const out = f.out ?? path.join(f.model, `eval-${f.split}.json`);
        const doc = { split: f.split, checkpoint: ckpt.dir, model: ckpt.config.model, ...result };
        await writeFile(out, JSON.stringify(doc, null, 2));
        const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
        console.log(
          `${f.split}: ${result.images} images | top-1 error ${pct(result.top1Error)} | top-5 error ${pct(result.top5Error)}` +
            ` | hierarchical error ${result.hierarchicalError?.toFixed(3)} (mean tree distance ${result.meanTreeDistance?.toFixed(3)})` +
            ` | loss ${result.loss.toFixed(4)}`,
        );
        for (const c of result.perClass) {
          console.log(`  ${c.index}\t${c.wnid}\t${pct(c.top1Accuracy)}\t(${c.images} images)`);
        }
        console.log(`written ${out}`);
      } finally {
        await pool.close();
      }
    });
}

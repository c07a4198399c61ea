import { appendFile, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

/** One line of metrics.jsonl. Accuracies are fractions in [0, 1]; val fields are null without a val split. */
export const epochMetricsSchema = z.object({
  epoch: z.number().int().positive(),
  trainLoss: z.number(),
  trainAcc: z.number(),
  valLoss: z.number().nullable(),
  valTop1: z.number().nullable(),
  valTop5: z.number().nullable(),
  lr: z.number(),
  imgPerSec: z.number(),
  seconds: z.number(),
});
export type EpochMetrics = z.infer<typeof epochMetricsSchema>;

export const METRICS_FILE = "metrics.jsonl";

export async function readMetrics(outDir: string): Promise<EpochMetrics[]> {
  let text: string;
  try {
    text = await readFile(path.join(outDir, METRICS_FILE), "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => epochMetricsSchema.parse(JSON.parse(l)));
}

export async function appendMetrics(outDir: string, row: EpochMetrics): Promise<void> {
  await appendFile(path.join(outDir, METRICS_FILE), `${JSON.stringify(row)}\n`);
}

/**
 * On resume: drop rows of epochs after the checkpoint (metrics are appended before the checkpoint is written,
 * so a crash in between leaves a row for an epoch that will be trained again).
 */
export async function truncateMetrics(outDir: string, upToEpoch: number): Promise<EpochMetrics[]> {
  const kept = (await readMetrics(outDir)).filter((m) => m.epoch <= upToEpoch);
  await writeFile(path.join(outDir, METRICS_FILE), kept.map((m) => `${JSON.stringify(m)}\n`).join(""));
  return kept;
}

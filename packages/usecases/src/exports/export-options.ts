import { exportFormatSchema } from "@arbor/core";
import { z } from "zod";

/** How a version is written out. Part of an export's identity: a resumed export must use the same options. */
export const exportOptionsSchema = z
  .object({
    format: exportFormatSchema,
    /** Re-encode so the shorter side is this many pixels (JPEG at `quality`); null keeps the original bytes. */
    resize: z.number().int().min(8).max(4096).nullable().default(null),
    quality: z.number().int().min(1).max(100).default(90),
    /** WebDataset: samples per shard. */
    shardSize: z.number().int().min(1).max(1_000_000).default(5000),
    /** Test images without their labels (for challenges); the labels stay in the database. */
    withholdTestLabels: z.boolean().default(false),
  })
  .meta({ id: "ExportOptions" });
export type ExportOptions = z.infer<typeof exportOptionsSchema>;
export type ExportOptionsInput = z.input<typeof exportOptionsSchema>;

/** The stored options (the format has its own column). */
export function storedOptions(options: ExportOptions): Omit<ExportOptions, "format"> {
  const { format: _format, ...rest } = options;
  return rest;
}

import { z } from "zod";
import { exportOptionsSchema } from "./export-options.ts";

export const exportSummarySchema = z
  .object({
    id: z.number().int(),
    versionId: z.number().int(),
    format: z.enum(["imagefolder", "jsonl", "webdataset"]),
    destination: z.string().nullable(),
    options: z.object({
      resize: z.number().int().nullable(),
      quality: z.number().int(),
      shardSize: z.number().int(),
      withholdTestLabels: z.boolean(),
    }),
    status: z.enum(["queued", "running", "succeeded", "failed"]),
    total: z.number().int().nullable(),
    processed: z.number().int(),
    bytes: z.number(),
    error: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    /** Where the files are: a local path, an s3:// URL, or "blob store" (downloadable through the API). */
    location: z.string(),
  })
  .meta({ id: "Export" });
export type ExportSummary = z.infer<typeof exportSummarySchema>;

export const startExportRequestSchema = exportOptionsSchema
  .extend({
    destination: z.string().trim().max(1024).nullable().optional().meta({
      description:
        "absent or empty: Arbor's blob store (downloadable); s3://bucket/prefix; or a server folder inside ARBOR_EXPORT_ROOTS",
    }),
  })
  .meta({ id: "StartExportRequest" });
export type StartExportRequest = z.input<typeof startExportRequestSchema>;

export const exportStartedSchema = z
  .object({
    id: z.number().int(),
    resumed: z.boolean().meta({ description: "an unfinished identical export was resumed instead of a new one" }),
  })
  .meta({ id: "ExportStarted" });
export type ExportStarted = z.infer<typeof exportStartedSchema>;

export const exportFileSchema = z.object({
  path: z.string(),
  bytes: z.number().int(),
  url: z.string().nullable().meta({ description: "valid for an hour; null for a server-folder export" }),
});
export type ExportFile = z.infer<typeof exportFileSchema>;

export const exportFilesSchema = z.object({ items: z.array(exportFileSchema) }).meta({ id: "ExportFiles" });

import { classConflictSchema, datasetDefinitionSchema, SPLITS } from "@arbor/core";
import { z } from "zod";

const splitCounts = z.object({ train: z.number().int(), val: z.number().int(), test: z.number().int() });

export const classPreviewSchema = z
  .object({
    classes: z.array(z.object({ wnid: z.string(), lemmas: z.array(z.string()), available: z.number().int() })),
    conflicts: z.array(classConflictSchema),
    droppedForConflicts: z.array(z.string()),
    droppedTooFew: z.array(z.object({ wnid: z.string(), available: z.number().int() })),
    unknownWnids: z.array(z.string()),
  })
  .meta({ id: "ClassSetPreview" });
export type ClassPreview = z.infer<typeof classPreviewSchema>;

export const datasetVersionSummarySchema = z
  .object({
    id: z.number().int(),
    datasetId: z.number().int(),
    name: z.string(),
    number: z.number().int(),
    classCount: z.number().int(),
    imageCount: z.number().int(),
    createdAt: z.string(),
    createdBy: z.string().nullable(),
  })
  .meta({ id: "DatasetVersionSummary" });
export type DatasetVersionSummary = z.infer<typeof datasetVersionSummarySchema>;

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

export const datasetVersionDetailSchema = datasetVersionSummarySchema
  .extend({
    definition: datasetDefinitionSchema,
    report: z.record(z.string(), z.unknown()),
    counts: splitCounts,
    classes: z.array(
      z.object({ index: z.number().int(), wnid: z.string(), lemmas: z.array(z.string()) }).extend(splitCounts.shape),
    ),
    leakage: z.object({
      pairs: z.number().int(),
      examples: z.array(
        z.object({ a: z.string(), b: z.string(), splitA: z.string(), splitB: z.string(), distance: z.number() }),
      ),
    }),
    versions: z.array(z.object({ id: z.number().int(), number: z.number().int() })),
    exports: z.array(exportSummarySchema),
  })
  .meta({ id: "DatasetVersion" });
export type DatasetVersionDetail = z.infer<typeof datasetVersionDetailSchema>;

export const datasetDiffSchema = z
  .object({
    from: z.number().int(),
    to: z.number().int(),
    classesAdded: z.array(z.string()),
    classesRemoved: z.array(z.string()),
    imagesAdded: z.number().int(),
    imagesRemoved: z.number().int(),
    unchanged: z.number().int(),
    movedTotal: z.number().int(),
    moved: z.array(
      z.object({
        sha256: z.string(),
        from: z.object({ wnid: z.string(), split: z.enum(SPLITS) }),
        to: z.object({ wnid: z.string(), split: z.enum(SPLITS) }),
      }),
    ),
  })
  .meta({ id: "DatasetDiff" });
export type DatasetDiff = z.infer<typeof datasetDiffSchema>;

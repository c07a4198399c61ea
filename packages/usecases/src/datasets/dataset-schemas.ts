import { classConflictSchema, datasetDefinitionSchema, SPLITS } from "@arbor/core";
import { z } from "zod";
import { exportSummarySchema } from "../exports/export-schemas.ts";

/**
 * The most a definition's JSON may weigh: an explicit list of up to 50 000 wnids (the schema's limit) is about
 * 650 KB; every other field is small.
 */
export const DATASET_DEFINITION_MAX_BYTES = 1024 * 1024;

const splitCounts = z.object({ train: z.number().int(), val: z.number().int(), test: z.number().int() });
/** A class left out for having fewer usable images than the minimum. */
const droppedClass = z.object({ wnid: z.string(), available: z.number().int() });

export const classPreviewSchema = z
  .object({
    classes: z.array(z.object({ wnid: z.string(), lemmas: z.array(z.string()), available: z.number().int() })),
    conflicts: z.array(classConflictSchema),
    droppedForConflicts: z.array(z.string()),
    droppedTooFew: z.array(droppedClass),
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

export const datasetVersionListSchema = z
  .object({ items: z.array(datasetVersionSummarySchema) })
  .meta({ id: "DatasetVersionList" });

/** What freezing found and did, stored with the version. */
export const freezeReportSchema = z
  .object({
    conflicts: z.array(classConflictSchema),
    droppedForConflicts: z.array(z.string()),
    droppedTooFew: z.array(droppedClass),
    unknownWnids: z.array(z.string()),
    multiClassImages: z
      .number()
      .int()
      .meta({ description: "images usable for more than one class: left out, since a version gives each one label" }),
    cappedImages: z.number().int().meta({ description: "images beyond maxPerClass (the lowest-ranked are kept)" }),
    nearDuplicateGroups: z.number().int(),
    leakage: z
      .object({ pairs: z.number().int(), examples: z.array(z.object({ a: z.string(), b: z.string() })) })
      .meta({ description: "near-duplicate pairs in different splits after assignment; must be 0" }),
    counts: splitCounts,
  })
  .meta({
    id: "FreezeReport",
    description:
      "freeze report: conflicts, dropped classes, multi-class images, capped images, near-duplicate groups, leakage",
  });
export type FreezeReport = z.infer<typeof freezeReportSchema>;

export const datasetVersionCreatedSchema = datasetVersionSummarySchema
  .pick({ datasetId: true, name: true, number: true, classCount: true, imageCount: true })
  .extend({ versionId: z.number().int(), report: freezeReportSchema })
  .meta({ id: "DatasetVersionCreated" });
export type DatasetVersionCreated = z.infer<typeof datasetVersionCreatedSchema>;

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
    restrictedSplits: z
      .array(z.enum(SPLITS))
      .describe("splits this version restricts (labels withheld by its definition or by an export)"),
    labelsWithheld: z
      .array(z.enum(SPLITS))
      .describe(
        "splits holding images whose labels are withheld from the caller: they may export the version only without those labels",
      ),
    mayAddVersions: z
      .boolean()
      .describe("the caller owns the dataset (or is an admin), so may freeze further versions"),
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

/** A freeze run: a definition being frozen into the next version by a worker, with its progress. */
export const freezeRunSchema = z
  .object({
    id: z.number().int(),
    datasetName: z.string(),
    status: z.enum(["queued", "running", "succeeded", "failed"]),
    phase: z
      .enum(["resolving", "selecting", "near-duplicates", "assigning", "writing"])
      .nullable()
      .meta({ description: "what it is doing: selecting and assigning walk the classes (processed of total)" }),
    processed: z.number().int(),
    total: z.number().int().nullable(),
    versionId: z.number().int().nullable().meta({ description: "the version it made, once succeeded" }),
    error: z.string().nullable().meta({ description: "why it failed: a refusal (errorKind) or what went wrong" }),
    errorKind: z.string().nullable().meta({ description: "unprocessable, forbidden…: the refusal's kind" }),
    errorDetail: z.unknown().optional().meta({ description: "the refusal's structure, e.g. the conflicts" }),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: "FreezeRun" });
export type FreezeRunView = z.infer<typeof freezeRunSchema>;

/** How long POST /datasets may wait for its freeze run to end before it answers 202 (seconds). */
export const freezeWaitQuerySchema = z.object({
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(120)
    .default(0)
    .meta({ description: "seconds to wait for the freeze to end: 201 (or its refusal) if it did, else 202" }),
});

export const freezeRunListSchema = z.object({ items: z.array(freezeRunSchema) }).meta({ id: "FreezeRunList" });

import { z } from "zod";

/** API contracts for ingest runs: zod is the one source of their TypeScript types and of the OpenAPI document. */

export const ingestRunSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(["folder", "csv", "upload", "s3"]),
    source: z.string(),
    status: z.enum(["queued", "running", "succeeded", "failed"]),
    trusted: z.boolean(),
    total: z.number().int().nullable(),
    processed: z.number().int(),
    added: z.number().int(),
    duplicates: z.number().int(),
    nearDuplicates: z.number().int(),
    linked: z.number().int(),
    skipped: z.number().int(),
    error: z.string().nullable(),
    warning: z
      .string()
      .nullable()
      .describe(
        "why a finished run ingested nothing (an empty folder, symlinks it may not follow, every item skipped…)",
      ),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    skips: z.array(z.object({ item: z.string(), reason: z.string(), message: z.string() })),
    nearDuplicatePairs: z
      .array(z.object({ imageId: z.number().int(), otherId: z.number().int(), distance: z.number().int() }))
      .describe("images of this run within the near-duplicate distance of another image (first 200)"),
  })
  .meta({ id: "IngestRun" });

export type IngestRunView = z.infer<typeof ingestRunSchema>;

export const ingestRunSummarySchema = ingestRunSchema.omit({ skips: true, nearDuplicatePairs: true });
export type IngestRunSummary = z.infer<typeof ingestRunSummarySchema>;

export const ingestRunListSchema = z
  .object({ items: z.array(ingestRunSummarySchema).describe("newest first, without their reports") })
  .meta({ id: "IngestRunList" });

/** The answer to a request that queued an ingest run (a server folder, a URL list, S3, or an upload). */
export const runStartedSchema = z.object({ runId: z.number().int() }).meta({ id: "RunStarted" });
export type RunStarted = z.infer<typeof runStartedSchema>;

import { NEAR_DUPLICATE_MAX_DISTANCE } from "@arbor/core";
import type { Db } from "@arbor/db";
import { z } from "zod";

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

const SKIPS_SHOWN = 500;

type RunRow = NonNullable<Awaited<ReturnType<Db["ingestRun"]["findUnique"]>>>;

function toView(run: RunRow): Omit<IngestRunView, "skips" | "nearDuplicatePairs"> {
  return {
    id: run.id,
    kind: run.kind,
    source: run.source,
    status: run.status,
    trusted: (run.options as { trusted?: boolean }).trusted === true,
    total: run.total,
    processed: run.processed,
    added: run.added,
    duplicates: run.duplicates,
    nearDuplicates: run.nearDuplicates,
    linked: run.linked,
    skipped: run.skipped,
    error: run.error,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

/** A run with its progress, counts and report (the first skips, or all of them for the CLI's --json). */
export async function getIngestRun(db: Db, id: number, { allSkips = false } = {}): Promise<IngestRunView | null> {
  const run = await db.ingestRun.findUnique({ where: { id } });
  if (!run) return null;
  const [skips, nearDuplicatePairs] = await Promise.all([
    db.ingestSkip.findMany({
      where: { runId: id },
      orderBy: { id: "asc" },
      take: allSkips ? undefined : SKIPS_SHOWN,
      select: { item: true, reason: true, message: true },
    }),
    run.nearDuplicates > 0
      ? db.$queryRaw<{ imageId: number; otherId: number; distance: number }[]>`
          SELECT i.id AS "imageId", o.id AS "otherId", bit_count((o.phash # i.phash)::bit(64))::int AS distance
          FROM image i JOIN image o ON o.id <> i.id
            AND (o.phash_band0 = i.phash_band0 OR o.phash_band1 = i.phash_band1
                 OR o.phash_band2 = i.phash_band2 OR o.phash_band3 = i.phash_band3)
          WHERE i.id IN (SELECT image_id FROM image_source WHERE run_id = ${id})
            AND bit_count((o.phash # i.phash)::bit(64)) <= ${NEAR_DUPLICATE_MAX_DISTANCE}
          ORDER BY i.id, distance LIMIT 200`
      : [],
  ]);
  return { ...toView(run), skips, nearDuplicatePairs };
}

/** Recent runs, newest first, without their reports. */
export async function listIngestRuns(
  db: Db,
  limit = 50,
): Promise<Omit<IngestRunView, "skips" | "nearDuplicatePairs">[]> {
  return (await db.ingestRun.findMany({ orderBy: { id: "desc" }, take: limit })).map(toView);
}

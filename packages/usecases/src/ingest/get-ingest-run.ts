import type { Db } from "@arbor/db";
import { notFound } from "../errors.ts";
import { isNearDuplicate, phashDistance, sharesPhashBand } from "../images/near-duplicate-sql.ts";
import { failStaleIngestRuns } from "../runs/stale-runs.ts";
import type { IngestRunSummary, IngestRunView } from "./ingest-schemas.ts";

const SKIPS_SHOWN = 500;

type RunRow = NonNullable<Awaited<ReturnType<Db["ingestRun"]["findUnique"]>>>;

function toView(run: RunRow): IngestRunSummary {
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
    warning: run.warning,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

/**
 * A run with its progress, counts and report (the first skips, or all of them for the CLI's --json). Runs
 * whose worker died are marked failed first, so a page never shows a dead run as running.
 */
export async function getIngestRun(db: Db, id: number, { allSkips = false } = {}): Promise<IngestRunView> {
  await failStaleIngestRuns(db);
  const run = await db.ingestRun.findUnique({ where: { id } });
  if (!run) throw notFound(`no ingest run ${id}`);
  const [skips, nearDuplicatePairs] = await Promise.all([
    db.ingestSkip.findMany({
      where: { runId: id },
      orderBy: { id: "asc" },
      take: allSkips ? undefined : SKIPS_SHOWN,
      select: { item: true, reason: true, message: true },
    }),
    run.nearDuplicates > 0
      ? db.$queryRaw<{ imageId: number; otherId: number; distance: number }[]>`
          SELECT i.id AS "imageId", o.id AS "otherId", ${phashDistance("o", "i")}::int AS distance
          FROM image i JOIN image o ON o.id <> i.id AND ${sharesPhashBand("o", "i")}
          WHERE i.id IN (SELECT image_id FROM image_source WHERE run_id = ${id}) AND ${isNearDuplicate("o", "i")}
          ORDER BY i.id, distance LIMIT 200`
      : [],
  ]);
  return { ...toView(run), skips, nearDuplicatePairs };
}

/** Recent runs, newest first, without their reports (dead runs marked failed first). */
export async function listIngestRuns(db: Db, limit = 50): Promise<IngestRunSummary[]> {
  await failStaleIngestRuns(db);
  return (await db.ingestRun.findMany({ orderBy: { id: "desc" }, take: limit })).map(toView);
}

import type { Db } from "@arbor/db";
import { notFound } from "../errors.ts";
import { failStaleFreezeRuns } from "../runs/stale-runs.ts";
import type { FreezeRunView } from "./dataset-schemas.ts";

type FreezeRun = Awaited<ReturnType<Db["freezeRun"]["findUniqueOrThrow"]>>;

export function toFreezeRunView(run: FreezeRun): FreezeRunView {
  return {
    id: run.id,
    datasetName: run.datasetName,
    status: run.status,
    phase: run.phase as FreezeRunView["phase"],
    processed: run.processed,
    total: run.total,
    versionId: run.versionId,
    error: run.error,
    errorKind: run.errorKind,
    ...(run.errorDetail === null ? {} : { errorDetail: run.errorDetail }),
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

/** A freeze run with its progress (a run whose worker died is marked failed first, so none shows as running). */
export async function getFreezeRun(db: Db, id: number): Promise<FreezeRunView> {
  await failStaleFreezeRuns(db);
  const run = await db.freezeRun.findUnique({ where: { id } });
  if (!run) throw notFound(`no freeze run ${id}`);
  return toFreezeRunView(run);
}

/** Freeze runs not finished yet, oldest first: what the datasets page shows in progress. */
export async function listActiveFreezeRuns(db: Db): Promise<FreezeRunView[]> {
  await failStaleFreezeRuns(db);
  const runs = await db.freezeRun.findMany({
    where: { status: { in: ["queued", "running"] } },
    orderBy: { id: "asc" },
    take: 50,
  });
  return runs.map(toFreezeRunView);
}

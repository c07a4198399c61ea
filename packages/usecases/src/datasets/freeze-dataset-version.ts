import type { DatasetDefinitionInput } from "@arbor/core";
import type { Db } from "@arbor/db";
import type { JobQueue } from "@arbor/jobs";
import { type ErrorKind, notFound, UseCaseError } from "../errors.ts";
import type { Actor } from "../restrictions/viewer.ts";
import type { DatasetVersionCreated, FreezeReport, FreezeRunView } from "./dataset-schemas.ts";
import { getFreezeRun } from "./get-freeze-run.ts";
import { startFreezeRun } from "./start-freeze-run.ts";

/** How often a waiting request looks at its run (a small freeze takes well under a second). */
const POLL_MS = 100;

const KINDS: readonly ErrorKind[] = ["invalid", "forbidden", "not-found", "conflict", "unprocessable"];

export type FreezeOutcome = { done: true; version: DatasetVersionCreated } | { done: false; run: FreezeRunView };

/**
 * Queues a freeze run (startFreezeRun) and waits up to `waitMs` for it to end, looking at its row (the work
 * happens in a worker, never in the caller). Ended: the version made, or the run's refusal thrown again as the
 * same UseCaseError (a 422 with its conflicts, say). Still queued or running: the run, to poll. A run that
 * failed without a refusal (a bug, a lost worker) throws a plain Error: its message is on the run.
 */
export async function freezeDatasetVersion(
  services: { db: Db; jobs: JobQueue },
  input: DatasetDefinitionInput,
  actor: Actor,
  waitMs: number,
): Promise<FreezeOutcome> {
  let run = await startFreezeRun(services, input, actor);
  const deadline = Date.now() + waitMs;
  while (run.status !== "succeeded" && run.status !== "failed" && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(1, deadline - Date.now()))));
    run = await getFreezeRun(services.db, run.id);
  }
  if (run.status === "failed") throw freezeRunFailure(run);
  if (run.status !== "succeeded" || run.versionId === null) return { done: false, run };
  return { done: true, version: await createdVersion(services.db, run.versionId) };
}

/** A failed run's reason as the error it was: its UseCaseError kind and detail when it was a refusal. */
export function freezeRunFailure(run: FreezeRunView): Error {
  const kind = KINDS.find((k) => k === run.errorKind);
  const message = run.error ?? `freeze run ${run.id} failed`;
  return kind ? new UseCaseError(kind, message, run.errorDetail) : new Error(message);
}

/** What POST /datasets answers for a version: its numbers and the freeze report. */
export async function createdVersion(db: Db, versionId: number): Promise<DatasetVersionCreated> {
  const version = await db.datasetVersion.findUnique({
    where: { id: versionId },
    include: { dataset: { select: { name: true } } },
  });
  if (!version) throw notFound(`no dataset version ${versionId}`);
  return {
    versionId: version.id,
    datasetId: version.datasetId,
    name: version.dataset.name,
    number: version.number,
    classCount: version.classCount,
    imageCount: version.imageCount,
    report: version.report as unknown as FreezeReport,
  };
}

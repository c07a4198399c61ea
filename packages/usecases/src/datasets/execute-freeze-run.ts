import { type DatasetDefinition, datasetDefinitionSchema } from "@arbor/core";
import type { Db, Prisma } from "@arbor/db";
import type { Role } from "../auth/user-schemas.ts";
import { UseCaseError } from "../errors.ts";
import type { Actor } from "../restrictions/viewer.ts";
import { freezeRunHeartbeat, startHeartbeat } from "../runs/stale-runs.ts";
import { type CreatedVersion, type FreezeProgress, freezeVersion } from "./freeze-version.ts";

/** Progress is written to the run at most this often: a class takes about a millisecond at 1.28 M images. */
const PROGRESS_EVERY_MS = 500;

/**
 * Runs a freeze run to the end: marks it running, stamps its heartbeat every few seconds (the stale-run sweep
 * fails a run whose process died; nothing is stored then, the freeze being one transaction), writes its phase
 * and classes done as it goes, and ends succeeded with the version, or failed with the reason (a refusal keeps
 * its kind and detail). Returns the version, or null when it failed. A run that is not queued (running elsewhere,
 * done, or delivered twice by the queue) is left as it is, and null returned.
 */
export async function executeFreezeRun(
  services: { db: Db },
  runId: number,
  onProgress: (progress: FreezeProgress) => void = () => {},
): Promise<CreatedVersion | null> {
  const { db } = services;
  const claimed = await db.freezeRun.updateMany({
    where: { id: runId, status: "queued" },
    data: { status: "running", startedAt: new Date(), finishedAt: null, error: null, errorKind: null },
  });
  if (claimed.count === 0) return null;
  const run = await db.freezeRun.findUniqueOrThrow({ where: { id: runId } });
  const actor: Actor = { id: run.actorId, roles: run.actorRoles as Role[] };
  let heartbeat: { stop(): void } | undefined;
  let last = 0;
  let writing: Promise<unknown> = Promise.resolve();
  const report = (progress: FreezeProgress) => {
    onProgress(progress);
    const now = Date.now();
    if (now - last < PROGRESS_EVERY_MS && progress.phase !== "writing") return;
    last = now;
    // Best effort and never awaited by the freeze: its transaction holds one connection, this uses another.
    writing = writing.then(() =>
      db.freezeRun
        .updateMany({
          where: { id: runId, status: "running" },
          data: { phase: progress.phase, processed: progress.processed, total: progress.total },
        })
        .catch(() => {}),
    );
  };
  try {
    heartbeat = await startHeartbeat(freezeRunHeartbeat(db, runId));
    const definition: DatasetDefinition = datasetDefinitionSchema.parse(run.definition);
    const version = await freezeVersion(db, definition, actor, report);
    await writing;
    await db.freezeRun.update({
      where: { id: runId },
      // error: null in case a sweep took this run for dead while it was only slow to beat; it did finish.
      data: { status: "succeeded", finishedAt: new Date(), versionId: version.id, error: null, errorKind: null },
    });
    return version;
  } catch (error) {
    await writing;
    const refusal = error instanceof UseCaseError ? error : null;
    await db.freezeRun.update({
      where: { id: runId },
      data: {
        status: "failed",
        finishedAt: new Date(),
        error: error instanceof Error ? error.message : String(error),
        errorKind: refusal?.kind ?? null,
        errorDetail: (refusal?.detail ?? undefined) as Prisma.InputJsonValue | undefined,
      },
    });
    return null;
  } finally {
    heartbeat?.stop();
  }
}

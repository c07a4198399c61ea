import type { Db } from "@arbor/db";
import type { JobQueue } from "@arbor/jobs";
import { type SubmissionSweep, sweepStuckSubmissions } from "../challenges/sweep-stuck-submissions.ts";
import { usecasesEnv } from "../env.ts";

/**
 * Long runs (ingest runs, exports, candidate runs, freeze runs) prove they are alive with a heartbeat: the process running one stamps its
 * row every HEARTBEAT_MS with the database's clock. A row still `running` whose stamp is older than the
 * threshold (ARBOR_STALE_RUN_SECONDS) belongs to a process that died (kill -9, a crash, a power cut): a sweep
 * marks it failed, with a reason and what to do. The sweep runs when a worker starts, on a timer in the
 * worker, and when a run's page or status is read, so nothing stays "running" for ever. Every kind is safe to
 * run again: an ingest re-run adds nothing twice, an identical export resumes the failed row, a candidate run
 * started again leaves the links already proposed as they are.
 */

/** How often a running run stamps its heartbeat. */
export const HEARTBEAT_MS = 5000;

/** The error a stale run is failed with: what happened, and what to do. */
export const staleIngestMessage = (seconds: number) =>
  `the worker stopped while running (no heartbeat for over ${seconds} s); re-run to finish (nothing is ingested twice)`;
export const staleExportMessage = (seconds: number) =>
  `the worker stopped while running (no heartbeat for over ${seconds} s); start the same export again to resume it`;

export const staleCandidateRunMessage = (seconds: number) =>
  `the worker stopped while running (no heartbeat for over ${seconds} s); start the same run again to finish (candidates already proposed stay, none is proposed twice)`;

export const staleFreezeRunMessage = (seconds: number) =>
  `the worker stopped while freezing (no heartbeat for over ${seconds} s); nothing was stored (a freeze is one transaction): freeze the definition again`;

export interface StaleOptions {
  /** Default: ARBOR_STALE_RUN_SECONDS. */
  staleAfterSeconds?: number;
}

const thresholdOf = (options: StaleOptions) => options.staleAfterSeconds ?? usecasesEnv().staleRunSeconds;

/** Marks running ingest runs without a recent heartbeat as failed; returns their ids. */
export async function failStaleIngestRuns(db: Db, options: StaleOptions = {}): Promise<number[]> {
  const seconds = thresholdOf(options);
  // A run started before heartbeats existed (or between its start and first beat) counts from its start.
  const rows = await db.$queryRaw<{ id: number }[]>`
    UPDATE ingest_run SET status = 'failed', finished_at = now(),
      error = ${staleIngestMessage(seconds)}
    WHERE status = 'running'
      AND coalesce(heartbeat_at, started_at, created_at) < now() - make_interval(secs => ${seconds}::float8)
    RETURNING id`;
  return rows.map((row) => row.id).sort((a, b) => a - b);
}

/** Marks running exports without a recent heartbeat as failed; returns their ids. */
export async function failStaleExports(db: Db, options: StaleOptions = {}): Promise<number[]> {
  const seconds = thresholdOf(options);
  const rows = await db.$queryRaw<{ id: number }[]>`
    UPDATE export SET status = 'failed', finished_at = now(),
      error = ${staleExportMessage(seconds)}
    WHERE status = 'running'
      AND coalesce(heartbeat_at, started_at, created_at) < now() - make_interval(secs => ${seconds}::float8)
    RETURNING id`;
  return rows.map((row) => row.id).sort((a, b) => a - b);
}

/** Marks running candidate runs without a recent heartbeat as failed; returns their ids. */
export async function failStaleCandidateRuns(db: Db, options: StaleOptions = {}): Promise<number[]> {
  const seconds = thresholdOf(options);
  const rows = await db.$queryRaw<{ id: number }[]>`
    UPDATE candidate_run SET status = 'failed', finished_at = now(),
      error = ${staleCandidateRunMessage(seconds)}
    WHERE status = 'running'
      AND coalesce(heartbeat_at, started_at, created_at) < now() - make_interval(secs => ${seconds}::float8)
    RETURNING id`;
  return rows.map((row) => row.id).sort((a, b) => a - b);
}

/** Marks running freeze runs without a recent heartbeat as failed; returns their ids. */
export async function failStaleFreezeRuns(db: Db, options: StaleOptions = {}): Promise<number[]> {
  const seconds = thresholdOf(options);
  const rows = await db.$queryRaw<{ id: number }[]>`
    UPDATE freeze_run SET status = 'failed', finished_at = now(),
      error = ${staleFreezeRunMessage(seconds)}
    WHERE status = 'running'
      AND coalesce(heartbeat_at, started_at, created_at) < now() - make_interval(secs => ${seconds}::float8)
    RETURNING id`;
  return rows.map((row) => row.id).sort((a, b) => a - b);
}

export interface StaleSweep {
  ingestRuns: number[];
  exports: number[];
  candidateRuns: number[];
  freezeRuns: number[];
}

/** Every sweep. */
export async function failStaleRuns(db: Db, options: StaleOptions = {}): Promise<StaleSweep> {
  return {
    ingestRuns: await failStaleIngestRuns(db, options),
    exports: await failStaleExports(db, options),
    candidateRuns: await failStaleCandidateRuns(db, options),
    freezeRuns: await failStaleFreezeRuns(db, options),
  };
}

/** What a worker's sweep did: stale runs failed, and stuck challenge submissions re-queued or failed. */
export interface WorkerSweep extends StaleSweep {
  submissions: SubmissionSweep;
}

/**
 * Sweeps now and then every `everyMs` (default: a third of the threshold) until stopped: what a worker runs.
 * Each sweep fails stale runs and runs the scoring watchdog (`sweepStuckSubmissions`, which re-sends the
 * scoring job of each submission it re-queues). The first sweep is awaited (a worker starts with no stale run
 * left); later failures are reported to onError and tried again on the next tick.
 */
export async function watchStaleRuns(
  services: { db: Db; jobs: JobQueue },
  options: StaleOptions & {
    everyMs?: number;
    onSwept?: (sweep: WorkerSweep) => void;
    onError?: (error: unknown) => void;
  } = {},
): Promise<{ stop(): void }> {
  const { db } = services;
  const sweepAll = async (): Promise<WorkerSweep> => ({
    ...(await failStaleRuns(db, options)),
    submissions: await sweepStuckSubmissions(services),
  });
  const report = (sweep: WorkerSweep) => {
    const { ingestRuns, exports, candidateRuns, freezeRuns, submissions } = sweep;
    const counts = [ingestRuns, exports, candidateRuns, freezeRuns, submissions.requeued, submissions.failed].map(
      (ids) => ids.length,
    );
    if (counts.some((n) => n > 0)) options.onSwept?.(sweep);
  };
  report(await sweepAll());
  let sweeping = false;
  const timer = setInterval(
    () => {
      if (sweeping) return;
      sweeping = true;
      sweepAll()
        .then(report, (error: unknown) => options.onError?.(error))
        .finally(() => {
          sweeping = false;
        });
    },
    options.everyMs ?? (thresholdOf(options) * 1000) / 3,
  );
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/**
 * Stamps a run's heartbeat now and every HEARTBEAT_MS until stopped. The first stamp is awaited; later ones are
 * best effort (a missed beat or two is what the threshold allows for).
 */
export async function startHeartbeat(beat: () => Promise<unknown>): Promise<{ stop(): void }> {
  await beat();
  let beating = false;
  const timer = setInterval(() => {
    if (beating) return;
    beating = true;
    beat()
      .catch(() => {})
      .finally(() => {
        beating = false;
      });
  }, HEARTBEAT_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** The heartbeat of one ingest run (only while it is running). */
export function ingestRunHeartbeat(db: Db, runId: number): () => Promise<unknown> {
  return () => db.$executeRaw`UPDATE ingest_run SET heartbeat_at = now() WHERE id = ${runId} AND status = 'running'`;
}

/** The heartbeat of one export (only while it is running). */
export function exportHeartbeat(db: Db, exportId: number): () => Promise<unknown> {
  return () => db.$executeRaw`UPDATE export SET heartbeat_at = now() WHERE id = ${exportId} AND status = 'running'`;
}

/** The heartbeat of one candidate run (only while it is running). */
export function candidateRunHeartbeat(db: Db, runId: number): () => Promise<unknown> {
  return () => db.$executeRaw`UPDATE candidate_run SET heartbeat_at = now() WHERE id = ${runId} AND status = 'running'`;
}

/** The heartbeat of one freeze run (only while it is running). */
export function freezeRunHeartbeat(db: Db, runId: number): () => Promise<unknown> {
  return () => db.$executeRaw`UPDATE freeze_run SET heartbeat_at = now() WHERE id = ${runId} AND status = 'running'`;
}

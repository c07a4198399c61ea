import type { Db } from "@arbor/db";
import type { JobQueue } from "@arbor/jobs";
import { scoreSubmissionJob } from "./score-submission-job.ts";

export interface SubmissionSweep {
  /**
   * Submissions left `scoring` (a scorer died) put back to `queued`, and ones `queued` that long (their job was
   * lost), each with a scoring job sent again.
   */
  requeued: number[];
  /** Submissions still not scored long after they were made: `failed`, with the reason. */
  failed: number[];
}

/**
 * The scoring watchdog: a submission `scoring` or `queued` unchanged for more than `stuckMinutes` goes (back) to
 * `queued` and its `scoreSubmissionJob` is sent again (scoring twice is harmless: the scorer claims a row first); one still `queued` or `scoring` more than `giveUpMinutes` after it was
 * queued (submitted, or re-queued by a truth revision: `queuedAt`) fails with a reason (so a file that kills its scorer is not retried for ever). Runs on the
 * worker's stale-run timer (`watchStaleRuns`).
 */
export async function sweepStuckSubmissions(
  services: { db: Db; jobs: JobQueue },
  options: { stuckMinutes?: number; giveUpMinutes?: number; now?: Date } = {},
): Promise<SubmissionSweep> {
  const { db, jobs } = services;
  const now = options.now ?? new Date();
  const stuckMinutes = options.stuckMinutes ?? 15;
  const giveUpMinutes = options.giveUpMinutes ?? 24 * 60;
  const stuckBefore = new Date(now.getTime() - stuckMinutes * 60_000);
  const giveUpBefore = new Date(now.getTime() - giveUpMinutes * 60_000);
  const reason = `not scored within ${giveUpMinutes} minutes of being queued (the scorer kept stopping); submit it again`;
  const failed = await db.$queryRaw<{ id: number }[]>`
    UPDATE challenge_submission SET status = 'failed', failure_reason = ${reason}, updated_at = ${now}
    WHERE status IN ('queued', 'scoring') AND queued_at < ${giveUpBefore} RETURNING id`;
  const requeued = await db.$queryRaw<{ id: number }[]>`
    UPDATE challenge_submission SET status = 'queued', updated_at = ${now}
    WHERE status IN ('queued', 'scoring') AND updated_at < ${stuckBefore} RETURNING id`;
  const ids = (rows: { id: number }[]) => rows.map((r) => r.id).sort((a, b) => a - b);
  const sweep = { requeued: ids(requeued), failed: ids(failed) };
  for (const submissionId of sweep.requeued) await jobs.send(scoreSubmissionJob, { submissionId });
  return sweep;
}

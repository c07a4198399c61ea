import type { Db } from "@arbor/db";

export interface SubmissionSweep {
  /** Submissions left `scoring` (a scorer died) put back to `queued`: score them again. */
  requeued: number[];
  /** Submissions still not scored long after they were made: `failed`, with the reason. */
  failed: number[];
}

/**
 * The scoring watchdog: a submission `scoring` for more than `stuckMinutes` goes back to `queued`; one still
 * `queued` or `scoring` more than `giveUpMinutes` after it was submitted fails with a reason (so a file that
 * kills its scorer is not retried for ever).
 */
export async function sweepStuckSubmissions(
  db: Db,
  options: { stuckMinutes?: number; giveUpMinutes?: number; now?: Date } = {},
): Promise<SubmissionSweep> {
  const now = options.now ?? new Date();
  const stuckMinutes = options.stuckMinutes ?? 15;
  const giveUpMinutes = options.giveUpMinutes ?? 24 * 60;
  const stuckBefore = new Date(now.getTime() - stuckMinutes * 60_000);
  const giveUpBefore = new Date(now.getTime() - giveUpMinutes * 60_000);
  const reason = `not scored within ${giveUpMinutes} minutes of its submission (the scorer kept stopping); submit it again`;
  const failed = await db.$queryRaw<{ id: number }[]>`
    UPDATE challenge_submission SET status = 'failed', failure_reason = ${reason}, updated_at = ${now}
    WHERE status IN ('queued', 'scoring') AND created_at < ${giveUpBefore} RETURNING id`;
  const requeued = await db.$queryRaw<{ id: number }[]>`
    UPDATE challenge_submission SET status = 'queued', updated_at = ${now}
    WHERE status = 'scoring' AND updated_at < ${stuckBefore} RETURNING id`;
  const ids = (rows: { id: number }[]) => rows.map((r) => r.id).sort((a, b) => a - b);
  return { requeued: ids(requeued), failed: ids(failed) };
}

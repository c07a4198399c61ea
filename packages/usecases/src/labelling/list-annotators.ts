import { estimateAccuracy } from "@arbor/core";
import type { Db } from "@arbor/db";
import { setUserBlocked } from "../auth/set-user-blocked.ts";
import type { AnnotatorRow } from "./annotator-schemas.ts";

/** The annotator table: volume, gold accuracy (Beta-smoothed), agreement with consensus, speed. */
export async function listAnnotators(db: Db): Promise<AnnotatorRow[]> {
  const rows = await db.$queryRaw<
    {
      id: number;
      email: string;
      blocked: boolean;
      votes: number;
      correct: number;
      gold: number;
      agree: number;
      decided: number;
      seconds: number | null;
    }[]
  >`
    SELECT u.id, u.email, u.blocked,
      (SELECT count(*)::int FROM vote v WHERE v.annotator_id = u.id AND v.gold_correct IS NULL) AS votes,
      (SELECT count(*)::int FROM vote v WHERE v.annotator_id = u.id AND v.gold_correct) AS correct,
      (SELECT count(*)::int FROM vote v WHERE v.annotator_id = u.id AND v.gold_correct IS NOT NULL) AS gold,
      (SELECT count(*)::int FROM vote v JOIN task t ON t.id = v.task_id
         JOIN campaign_item i ON i.campaign_id = t.campaign_id AND i.image_id = v.image_id
         WHERE v.annotator_id = u.id AND i.decision IN ('verified', 'rejected')
           AND v.positive = (i.decision = 'verified')) AS agree,
      (SELECT count(*)::int FROM vote v JOIN task t ON t.id = v.task_id
         JOIN campaign_item i ON i.campaign_id = t.campaign_id AND i.image_id = v.image_id
         WHERE v.annotator_id = u.id AND i.decision IN ('verified', 'rejected')) AS decided,
      (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.submitted_at - t.created_at))
         FROM task t WHERE t.annotator_id = u.id AND t.submitted_at IS NOT NULL) AS seconds
    FROM app_user u WHERE 'annotator' = ANY(u.roles)
    ORDER BY u.id`;
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    blocked: r.blocked,
    votes: r.votes,
    gold: { correct: r.correct, total: r.gold, accuracy: estimateAccuracy(r.correct, r.gold) },
    agreement: r.decided > 0 ? r.agree / r.decided : null,
    secondsPerTask: r.seconds === null ? null : Number(r.seconds),
  }));
}

/**
 * Blocks (or unblocks) an annotator: they can no longer sign in, their sessions end, their API tokens are
 * revoked for good, and their votes stop counting. `actorId`, the admin doing it, may not block themself;
 * nobody may block the last unblocked admin (`setUserBlocked`).
 */
export async function setAnnotatorBlocked(db: Db, id: number, blocked: boolean, actorId?: number): Promise<void> {
  await setUserBlocked(db, { userId: id }, blocked, actorId);
}

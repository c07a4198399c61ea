import type { Db } from "@arbor/db";
import { conflict, forbidden, invalid, notFound } from "../errors.ts";
import { applyDueConsensus, sweepIfDue } from "./apply-consensus.ts";
import { requestTask } from "./request-task.ts";
import { LEASE_TRANSACTION, retryOnConflict } from "./retry-on-conflict.ts";
import type { AnswersRecorded } from "./task-schemas.ts";

/**
 * Records an annotator's answers to a task: a yes for every image listed by its handle (its position in the
 * task), a no for every other one. A task submitted twice records its votes once (the second call answers as
 * the first did); an annotator never votes twice on the same image and synset; an expired lease is refused,
 * since its images went back to the pool.
 *
 * The votes, the items' counters, the task's submission and the items' consensus-due marks commit together,
 * in a transaction of a few statements; the consensus of the task's images is then updated in its own
 * transaction (applyDueConsensus). Inside the answer's transaction it held the item rows for the whole
 * estimate, and every answer on the same images queued behind it (issue 14: 0.02 tasks per no-op request
 * with 16 annotators). When that step fails the marks stay and the sweep decides the items (sweepIfDue),
 * and a repeated submission runs the step again: no vote, counter or seed table is lost.
 *
 * With `next`, the answer also carries the annotator's next task (requestTask, after the consensus step, so
 * the images just decided are not handed out again): one round trip per task instead of two.
 */
export async function submitAnswers(
  db: Db,
  annotatorId: number,
  taskId: string,
  positiveHandles: readonly number[],
  options: { next?: boolean } = {},
): Promise<AnswersRecorded> {
  const answered = await recordAnswers(db, annotatorId, taskId, positiveHandles);
  // After the commit: the votes are safe whatever happens here. A repeated submission runs it too, so a
  // client that retries after a failed step gets its images decided.
  await applyDueConsensus(db, answered.campaignId, answered.campaignImages);
  await sweepIfDue(db);
  const recorded = { recorded: answered.recorded, alreadySubmitted: answered.alreadySubmitted };
  if (!options.next) return recorded;
  const { task, idle } = await requestTask(db, annotatorId);
  return { ...recorded, next: task, ...(idle ? { idle } : {}) };
}

/**
 * submitAnswers' transaction, without the consensus step that follows it: the votes, counters, submission
 * and consensus-due marks. Exported for the tests that play a step that failed.
 */
export async function recordAnswers(
  db: Db,
  annotatorId: number,
  taskId: string,
  positiveHandles: readonly number[],
): Promise<AnswersRecorded & { campaignId: number; campaignImages: number[] }> {
  return retryOnConflict(() =>
    db.$transaction(async (tx) => {
      const [task] = await tx.$queryRaw<
        {
          campaign_id: number;
          synset_id: number;
          annotator_id: number;
          image_ids: number[];
          gold: Record<string, boolean>;
          submitted_at: Date | null;
          released_at: Date | null;
          lease_expires_at: Date;
        }[]
      >`SELECT t.campaign_id, c.synset_id, t.annotator_id, t.image_ids, t.gold, t.submitted_at, t.released_at,
               t.lease_expires_at
      FROM task t JOIN campaign c ON c.id = t.campaign_id WHERE t.id = ${taskId}::uuid FOR UPDATE OF t`;
      if (!task) throw notFound(`no task ${taskId}`);
      if (task.annotator_id !== annotatorId) throw forbidden("this task was given to someone else");
      const campaignId = task.campaign_id;
      const campaignImages = task.image_ids.filter((id) => !(String(id) in task.gold));
      if (task.submitted_at) return { recorded: 0, alreadySubmitted: true, campaignId, campaignImages };
      if (task.released_at || task.lease_expires_at < new Date()) {
        throw conflict("the lease on this task expired and its images went back to the pool; take a new task");
      }
      const stray = positiveHandles.filter((n) => !Number.isInteger(n) || n < 0 || n >= task.image_ids.length);
      if (stray.length > 0) {
        throw invalid(
          `handles ${stray.join(", ")} are not in this task (its images are 0 to ${task.image_ids.length - 1})`,
        );
      }
      const positive = positiveHandles.map((n) => task.image_ids[n] as number);

      const synsetId = task.synset_id;
      const yes = new Set(positive);
      const gold = task.gold;
      const recorded = await tx.$executeRaw`
      INSERT INTO vote (task_id, annotator_id, image_id, synset_id, positive, gold_correct)
      SELECT ${taskId}::uuid, ${annotatorId}, t.image_id, ${synsetId}, t.positive, t.gold_correct
      FROM unnest(${task.image_ids}::int[], ${task.image_ids.map((id) => yes.has(id))}::boolean[],
                  ${task.image_ids.map((id) => (String(id) in gold ? gold[String(id)] === yes.has(id) : null))}::boolean[])
           AS t(image_id, positive, gold_correct)
      ON CONFLICT (annotator_id, image_id, synset_id) DO NOTHING`;
      // One statement: the item rows locked in id order (as tasks/next locks them when it waits, and the
      // consensus step: no deadlock between them), their counters moved, then their consensus-due marks.
      await tx.$executeRaw`
      WITH locked AS (
        SELECT image_id FROM campaign_item WHERE campaign_id = ${campaignId}
          AND image_id = ANY(${campaignImages}::int[]) ORDER BY image_id FOR UPDATE),
      counted AS (
        UPDATE campaign_item i SET
          yes = yes + (i.image_id = ANY(${positive}::int[]))::int,
          no = no + (NOT i.image_id = ANY(${positive}::int[]))::int,
          leased = greatest(0, leased - 1)
        FROM locked l WHERE i.campaign_id = ${campaignId} AND i.image_id = l.image_id
        RETURNING i.image_id)
      INSERT INTO consensus_due (campaign_id, image_id) SELECT ${campaignId}, image_id FROM counted
      ON CONFLICT (campaign_id, image_id) DO NOTHING`;
      await tx.task.update({ where: { id: taskId }, data: { submittedAt: new Date(), releasedAt: new Date() } });
      return { recorded, alreadySubmitted: false, campaignId, campaignImages };
    }, LEASE_TRANSACTION),
  );
}

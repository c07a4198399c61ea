import type { Db } from "@arbor/db";
import { conflict, forbidden, invalid, notFound } from "../errors.ts";
import { retryOnConflict } from "./retry-on-conflict.ts";
import type { AnswersRecorded } from "./task-schemas.ts";
import { updateConsensus } from "./update-consensus.ts";

/**
 * Most answers take milliseconds; the one that completes a model's calibration set also calibrates the
 * campaign and decides every pending image again with its prior (a few thousand rows), so it may take longer
 * than Prisma's default 5 s on a busy machine.
 */
const ANSWER_TRANSACTION = { maxWait: 10_000, timeout: 60_000 };

/**
 * Records an annotator's answers to a task: a yes for every image listed by its handle (its position in the
 * task), a no for every other one. A task
 * submitted twice records its votes once (the second call answers as the first did); an annotator never
 * votes twice on the same image and synset; an expired lease is refused, since its images went back to the
 * pool. Then the consensus of the task's images is updated.
 */
export async function submitAnswers(
  db: Db,
  annotatorId: number,
  taskId: string,
  positiveHandles: readonly number[],
): Promise<AnswersRecorded> {
  return retryOnConflict(() =>
    db.$transaction(async (tx) => {
      const [task] = await tx.$queryRaw<
        {
          campaign_id: number;
          annotator_id: number;
          image_ids: number[];
          gold: Record<string, boolean>;
          submitted_at: Date | null;
          released_at: Date | null;
          lease_expires_at: Date;
        }[]
      >`SELECT campaign_id, annotator_id, image_ids, gold, submitted_at, released_at, lease_expires_at
      FROM task WHERE id = ${taskId}::uuid FOR UPDATE`;
      if (!task) throw notFound(`no task ${taskId}`);
      if (task.annotator_id !== annotatorId) throw forbidden("this task was given to someone else");
      if (task.submitted_at) return { recorded: 0, alreadySubmitted: true };
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

      const { synsetId } = await tx.campaign.findUniqueOrThrow({
        where: { id: task.campaign_id },
        select: { synsetId: true },
      });
      const yes = new Set(positive);
      const gold = task.gold;
      const recorded = await tx.$executeRaw`
      INSERT INTO vote (task_id, annotator_id, image_id, synset_id, positive, gold_correct)
      SELECT ${taskId}::uuid, ${annotatorId}, t.image_id, ${synsetId}, t.positive, t.gold_correct
      FROM unnest(${task.image_ids}::int[], ${task.image_ids.map((id) => yes.has(id))}::boolean[],
                  ${task.image_ids.map((id) => (String(id) in gold ? gold[String(id)] === yes.has(id) : null))}::boolean[])
           AS t(image_id, positive, gold_correct)
      ON CONFLICT (annotator_id, image_id, synset_id) DO NOTHING`;
      const campaignImages = task.image_ids.filter((id) => !(String(id) in gold));
      // Item rows are locked in id order, as tasks/next locks them when it waits: no deadlock between them.
      await tx.$executeRaw`SELECT 1 FROM campaign_item WHERE campaign_id = ${task.campaign_id}
                         AND image_id = ANY(${campaignImages}::int[]) ORDER BY image_id FOR UPDATE`;
      await tx.$executeRaw`
      UPDATE campaign_item SET
        yes = yes + (image_id = ANY(${positive}::int[]))::int,
        no = no + (NOT image_id = ANY(${positive}::int[]))::int,
        leased = greatest(0, leased - 1)
      WHERE campaign_id = ${task.campaign_id} AND image_id = ANY(${campaignImages}::int[])`;
      await tx.task.update({ where: { id: taskId }, data: { submittedAt: new Date(), releasedAt: new Date() } });
      await updateConsensus(tx, task.campaign_id, campaignImages);
      return { recorded, alreadySubmitted: false };
    }, ANSWER_TRANSACTION),
  );
}

import { poolPlan } from "@arbor/core";
import type { Db } from "@arbor/db";
import { countEligibleAnnotators } from "./annotator-pool.ts";
import { campaignPolicySchema } from "./campaign-policy.ts";
import { nextTask } from "./next-task.ts";
import type { IdleReason } from "./pool-schemas.ts";
import { settleActiveCampaigns } from "./settle-campaigns.ts";
import type { TaskView } from "./task-schemas.ts";

/** A task for the annotator, or why there is none (see idleReasonSchema). */
export type TaskRequest = { task: TaskView; idle?: undefined } | { task: null; idle: IdleReason };

/**
 * `GET /tasks/next`: the annotator's next task (nextTask). When there is none, the pool rule is applied to
 * the active campaigns first (settleActiveCampaigns: a seed complete for a pool that shrank builds its table
 * and frees the other images, so the annotator is asked again), and then the answer says why nothing is
 * left for them: they have voted on everything still open, or what is open waits for other annotators, or
 * for a blocked campaign, or no campaign is running.
 */
export async function requestTask(db: Db, annotatorId: number): Promise<TaskRequest> {
  const task = await nextTask(db, annotatorId);
  if (task) return { task };
  const { tablesBuilt } = await settleActiveCampaigns(db);
  if (tablesBuilt > 0) {
    const again = await nextTask(db, annotatorId);
    if (again) return { task: again };
  }
  return { task: null, idle: await idleReason(db, annotatorId) };
}

async function idleReason(db: Db, annotatorId: number): Promise<IdleReason> {
  const campaigns = await db.$queryRaw<{ id: number; policy: unknown; seeding: boolean; open: boolean }[]>`
    WITH held AS (
      SELECT campaign_id, unnest(image_ids) AS image_id FROM task
      WHERE annotator_id = ${annotatorId} AND submitted_at IS NULL AND released_at IS NULL)
    SELECT c.id, c.policy, c.confidence_table IS NULL AS seeding,
      EXISTS (
        SELECT 1 FROM campaign_item i
        WHERE i.campaign_id = c.id AND i.decision = 'pending'
          AND NOT EXISTS (SELECT 1 FROM vote v WHERE v.annotator_id = ${annotatorId}
                            AND v.image_id = i.image_id AND v.synset_id = c.synset_id)
          AND NOT EXISTS (SELECT 1 FROM held h WHERE h.campaign_id = c.id AND h.image_id = i.image_id)) AS open
    FROM campaign c WHERE c.status = 'active'`;
  if (campaigns.length === 0) return "no-campaigns";
  const open = campaigns.filter((c) => c.open);
  if (open.length === 0) return "voted-all";
  const seeding = open.filter((c) => c.seeding);
  if (seeding.length < open.length) return "waiting-for-others";
  const annotators = await countEligibleAnnotators(db);
  const blocked = seeding.every((c) => poolPlan(campaignPolicySchema.parse(c.policy), annotators).seedBlocked);
  return blocked ? "campaign-blocked" : "waiting-for-others";
}

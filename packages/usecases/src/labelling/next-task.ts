import { randomUUID } from "node:crypto";
import { poolPlan } from "@arbor/core";
import { type Db, Prisma, type Tx } from "@arbor/db";
import { visibleImage } from "../restrictions/visible-image-sql.ts";
import { countEligibleAnnotators } from "./annotator-pool.ts";
import { campaignPolicySchema } from "./campaign-policy.ts";
import { releaseExpiredLeases } from "./release-expired-leases.ts";
import { retryOnConflict } from "./retry-on-conflict.ts";
import { taskExampleIds, taskExampleUrl, taskImageUrl } from "./task-images.ts";
import type { TaskView } from "./task-schemas.ts";

/**
 * The next task for an annotator, or null when nothing is left for them. Picks images that still need votes
 * and that this annotator has not voted on: the seed set first (it needs seedVotes votes each, lowered to
 * the annotator pool, before the confidence table exists), then undecided images, seed ones included, each
 * asked for only as many votes as it still needs.
 * Rows are taken with FOR UPDATE SKIP LOCKED, so concurrent annotators never take the same vote slot.
 */
export async function nextTask(db: Db, annotatorId: number): Promise<TaskView | null> {
  await releaseExpiredLeases(db);
  return retryOnConflict(() =>
    db.$transaction(async (tx) => {
      const campaigns = await tx.campaign.findMany({
        where: { status: "active" },
        orderBy: { id: "asc" },
        select: { id: true, synsetId: true, policy: true, confidenceTable: true },
      });
      let annotators: number | undefined; // the pool's size, read once when a campaign is seeding
      for (const campaign of campaigns) {
        const policy = campaignPolicySchema.parse(campaign.policy);
        const seeding = campaign.confidenceTable === null;
        annotators ??= seeding ? await countEligibleAnnotators(tx) : undefined;
        const seedVotes = poolPlan(policy, annotators ?? 0).seedVotes;
        const goldCount = Math.round(policy.taskSize * policy.goldRate);
        const wanted = Math.max(1, policy.taskSize - goldCount);
        const take = (lock: "skip" | "wait") => tx.$queryRaw<{ image_id: number }[]>`
        SELECT i.image_id FROM campaign_item i
        WHERE i.campaign_id = ${campaign.id} AND i.decision = 'pending'
          AND (${!seeding} OR i.is_seed)
          AND i.yes + i.no + i.leased < ${seeding ? seedVotes : policy.maxVotes}
          AND (${seeding} OR i.leased < GREATEST(1, ${policy.minVotes} - (i.yes + i.no)))
          AND NOT EXISTS (SELECT 1 FROM vote v WHERE v.annotator_id = ${annotatorId}
                            AND v.image_id = i.image_id AND v.synset_id = ${campaign.synsetId})
          AND NOT EXISTS (SELECT 1 FROM task t WHERE t.annotator_id = ${annotatorId} AND t.released_at IS NULL
                            AND t.campaign_id = ${campaign.id} AND i.image_id = ANY(t.image_ids))
        ORDER BY ${Prisma.raw(lock === "skip" ? "i.yes + i.no DESC, random()" : "i.image_id")}
        LIMIT ${wanted}
        FOR UPDATE ${Prisma.raw(lock === "skip" ? "SKIP LOCKED" : "")}`;
        // Rows another annotator is leasing right now are skipped; only when that leaves nothing do we wait
        // for them (PostgreSQL then re-checks the free-slot condition on the committed row), so nobody is told
        // "nothing left" while slots remain. Waiters lock in id order, so they cannot deadlock each other.
        let items = await take("skip");
        if (items.length === 0) items = await take("wait");
        if (items.length === 0) continue;
        const imageIds = items.map((i) => i.image_id);
        await tx.$executeRaw`UPDATE campaign_item SET leased = leased + 1
                           WHERE campaign_id = ${campaign.id} AND image_id = ANY(${imageIds})`;
        const examples = await taskExampleIds(tx, campaign.synsetId);
        const gold = await goldQuestions(tx, campaign.synsetId, annotatorId, goldCount, examples);
        const shown = shuffle([...imageIds, ...Object.keys(gold).map(Number)]);
        const leaseExpiresAt = new Date(Date.now() + policy.leaseSeconds * 1000);
        const task = await tx.task.create({
          data: { id: randomUUID(), campaignId: campaign.id, annotatorId, imageIds: shown, gold, leaseExpiresAt },
          select: { id: true },
        });
        const synset = await tx.synset.findUniqueOrThrow({
          where: { id: campaign.synsetId },
          select: { wnid: true, lemmas: true, gloss: true },
        });
        // No global image id leaves the task: images by position (their handle), served through the task.
        return {
          taskId: task.id,
          synset,
          images: shown.map((_, n) => ({ handle: n, thumbnailUrl: taskImageUrl(task.id, n) })),
          examples: examples.map((_, n) => ({ thumbnailUrl: taskExampleUrl(task.id, n) })),
          leaseExpiresAt: leaseExpiresAt.toISOString(),
        };
      }
      return null;
    }),
  );
}

/**
 * Gold questions with known answers: images verified for the synset or anything below it (yes) and images
 * verified only outside its subtree (no), that this annotator has not answered yet, and never one of the
 * synset's examples (which the annotator has seen, marked verified) nor a restricted image.
 */
async function goldQuestions(
  tx: Tx,
  synsetId: number,
  annotatorId: number,
  count: number,
  examples: readonly number[],
): Promise<Record<string, boolean>> {
  if (count === 0) return {};
  // A restricted image (labels withheld) is never a gold question: asking it would tell its label.
  const unrestricted = visibleImage("l.image_id", null);
  const rows = await tx.$queryRaw<{ image_id: number; positive: boolean }[]>`
    WITH subtree AS (SELECT descendant_id AS id FROM synset_closure WHERE ancestor_id = ${synsetId}),
    answered AS (SELECT image_id FROM vote WHERE annotator_id = ${annotatorId} AND synset_id = ${synsetId}
                 UNION ALL SELECT unnest(${[...examples]}::int[]))
    (SELECT image_id, true AS positive FROM (
        SELECT DISTINCT l.image_id FROM image_link l
        WHERE l.synset_id IN (SELECT id FROM subtree) AND l.state = 'verified' AND ${unrestricted}
          AND l.image_id NOT IN (SELECT image_id FROM answered)) yes
      ORDER BY random() LIMIT ${Math.ceil(count / 2)})
    UNION ALL
    (SELECT image_id, false FROM (
        SELECT DISTINCT l.image_id FROM image_link l
        WHERE l.state = 'verified' AND l.synset_id NOT IN (SELECT id FROM subtree) AND ${unrestricted}
          AND NOT EXISTS (SELECT 1 FROM image_link m WHERE m.image_id = l.image_id AND m.synset_id IN (SELECT id FROM subtree))
          AND l.image_id NOT IN (SELECT image_id FROM answered)) no
      ORDER BY random() LIMIT ${Math.floor(count / 2)})`;
  return Object.fromEntries(rows.map((r) => [String(r.image_id), r.positive]));
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

import { randomUUID } from "node:crypto";
import { poolPlan } from "@arbor/core";
import { type Db, Prisma, type Tx } from "@arbor/db";
import { visibleImage } from "../restrictions/visible-image-sql.ts";
import { countEligibleAnnotators } from "./annotator-pool.ts";
import { campaignPolicySchema } from "./campaign-policy.ts";
import { SEED_SHIFT } from "./item-random.ts";
import { releaseExpiredLeases } from "./release-expired-leases.ts";
import { LEASE_TRANSACTION, retryOnConflict } from "./retry-on-conflict.ts";
import { taskExampleIds, taskExampleUrl, taskImageUrl } from "./task-images.ts";
import type { TaskView } from "./task-schemas.ts";

/**
 * The next task for an annotator, or null when nothing is left for them. Picks images that still need votes
 * and that this annotator has not voted on: the seed set first (it needs seedVotes votes each, lowered to
 * the annotator pool, before the confidence table exists), then undecided images, seed ones included, each
 * asked for only as many votes as it still needs. Images are taken in their ordering key's order (priority:
 * seeded random, or the calibrated prior's uncertainty or likelihood; the seed's keys come first while it
 * is collected, then, with a model, the calibration set's until it calibrates the model), one walk of the
 * (campaign, decision, priority) index that stops at the task's size.
 * Rows are taken with FOR UPDATE SKIP LOCKED, so concurrent annotators never take the same vote slot.
 * A campaign that shows the model's guess shows it on a random GUESS_SHARE of its tasks once calibrated.
 */
export async function nextTask(db: Db, annotatorId: number): Promise<TaskView | null> {
  await releaseExpiredLeases(db);
  return retryOnConflict(() =>
    db.$transaction(async (tx) => {
      // The synset shown with the task comes with its campaign: one query for both.
      const campaigns = await tx.$queryRaw<
        {
          id: number;
          synset_id: number;
          policy: unknown;
          seeding: boolean;
          show_model_guess: boolean;
          calibrated: boolean;
          wnid: string;
          lemmas: string[];
          gloss: string;
        }[]
      >`SELECT c.id, c.synset_id, c.policy, c.confidence_table IS NULL AS seeding, c.show_model_guess,
               c.calibration IS NOT NULL AS calibrated, s.wnid, s.lemmas, s.gloss
        FROM campaign c JOIN synset s ON s.id = c.synset_id
        WHERE c.status = 'active' ORDER BY c.id`;
      let annotators: number | undefined; // the pool's size, read once when a campaign is seeding
      for (const campaign of campaigns) {
        const policy = campaignPolicySchema.parse(campaign.policy);
        const seeding = campaign.seeding;
        annotators ??= seeding ? await countEligibleAnnotators(tx) : undefined;
        const seedVotes = poolPlan(policy, annotators ?? 0).seedVotes;
        const goldCount = Math.round(policy.taskSize * policy.goldRate);
        const wanted = Math.max(1, policy.taskSize - goldCount);
        // The free slots taken and leased in one statement; each image's prior comes back with it, for the
        // model's guess (never on seed, calibration-set or audit images).
        const take = (lock: "skip" | "wait") =>
          tx.$queryRaw<{ image_id: number; guess: number | null }[]>`
            WITH open AS (${openItemsQuery({
              campaignId: campaign.id,
              synsetId: campaign.synset_id,
              annotatorId,
              seeding,
              votesCap: seeding ? seedVotes : policy.maxVotes,
              minVotes: policy.minVotes,
              limit: wanted,
              lock,
            })})
            UPDATE campaign_item i SET leased = i.leased + 1 FROM open o
            WHERE i.campaign_id = ${campaign.id} AND i.image_id = o.image_id
            RETURNING i.image_id,
              CASE WHEN NOT (i.is_seed OR i.calibration OR i.audit) THEN i.prior END AS guess`;
        // Rows another annotator is leasing right now are skipped; only when that leaves nothing do we wait
        // for them (PostgreSQL then re-checks the free-slot condition on the committed row), so nobody is told
        // "nothing left" while slots remain. Waiters lock in id order, so they cannot deadlock each other.
        let items = await take("skip");
        if (items.length === 0) items = await take("wait");
        if (items.length === 0) continue;
        const imageIds = items.map((i) => i.image_id);
        const examples = await taskExampleIds(tx, campaign.synset_id);
        const gold = await goldQuestions(tx, campaign.synset_id, annotatorId, goldCount, examples);
        const shown = shuffle([...imageIds, ...Object.keys(gold).map(Number)]);
        const leaseExpiresAt = new Date(Date.now() + policy.leaseSeconds * 1000);
        // Before calibration there is no guess to show: such a task is not counted as showing one.
        const showsModelGuess = campaign.show_model_guess && campaign.calibrated && Math.random() < GUESS_SHARE;
        const guesses = new Map(
          showsModelGuess ? items.flatMap((i) => (i.guess === null ? [] : [[i.image_id, i.guess] as const])) : [],
        );
        const task = await tx.task.create({
          data: {
            id: randomUUID(),
            campaignId: campaign.id,
            annotatorId,
            imageIds: shown,
            gold,
            leaseExpiresAt,
            showsModelGuess,
          },
          select: { id: true },
        });
        const synset = { wnid: campaign.wnid, lemmas: campaign.lemmas, gloss: campaign.gloss };
        // No global image id leaves the task: images by position (their handle), served through the task.
        return {
          taskId: task.id,
          synset,
          images: shown.map((imageId, n) => {
            const prior = guesses.get(imageId);
            return {
              handle: n,
              thumbnailUrl: taskImageUrl(task.id, n),
              modelGuess: prior === undefined ? null : { prior },
            };
          }),
          examples: examples.map((_, n) => ({ thumbnailUrl: taskExampleUrl(task.id, n) })),
          leaseExpiresAt: leaseExpiresAt.toISOString(),
        };
      }
      return null;
    }, LEASE_TRANSACTION),
  );
}

/**
 * Share of a guess-showing campaign's tasks that show the guess: the other 10 %, drawn at random per task, are
 * the control group whose answers measure the guess's anchoring effect (the campaign page's anchoring).
 */
export const GUESS_SHARE = 0.9;

/**
 * While seeding only the seed is handed out, and its keys lie below this (shifted by SEED_SHIFT below every
 * other key, all ≥ −1): the bound ends the index walk at the seed. Without it a seed whose slots were all
 * leased walked every other pending item, twice, per request: 4 s at 120,000 items on a loaded machine.
 */
const SEED_SHIFT_BOUND = 1 - SEED_SHIFT;

/**
 * Campaign images whose votes take the ordering key's order: pending, with a vote slot free (seed images
 * only while seeding), not waiting for the consensus of votes just counted (consensus_due: the image may be
 * decided a moment later, and a vote asked for now would be wasted; before consensus left the answer's
 * transaction, counts and decision committed together; a seed image is decided by nothing before the
 * table, so it is handed out regardless), that this annotator has not voted on nor holds in a
 * live task. The order is the
 * (campaign, decision, priority) index's, so PostgreSQL walks it and stops after `limit` rows: one short
 * index scan however many images wait. Waiting for locked rows (lock "wait") goes in image id order, the
 * order every writer locks item rows in, so waiters cannot deadlock each other.
 */
export function openItemsQuery(q: {
  campaignId: number;
  synsetId: number;
  annotatorId: number;
  seeding: boolean;
  votesCap: number;
  minVotes: number;
  limit: number;
  lock: "skip" | "wait";
}): Prisma.Sql {
  const notDue = Prisma.sql`AND NOT EXISTS (SELECT 1 FROM consensus_due d
                                             WHERE d.campaign_id = i.campaign_id AND d.image_id = i.image_id)`;
  return Prisma.sql`
    SELECT i.image_id FROM campaign_item i
    WHERE i.campaign_id = ${q.campaignId} AND i.decision = 'pending'
      ${q.seeding ? Prisma.sql`AND i.is_seed AND i.priority < ${SEED_SHIFT_BOUND}` : Prisma.empty}
      AND i.yes + i.no + i.leased < ${q.votesCap}
      AND (${q.seeding} OR i.leased < GREATEST(1, ${q.minVotes} - (i.yes + i.no)))
      ${q.seeding ? Prisma.empty : notDue}
      AND NOT EXISTS (SELECT 1 FROM vote v WHERE v.annotator_id = ${q.annotatorId}
                        AND v.image_id = i.image_id AND v.synset_id = ${q.synsetId})
      AND NOT EXISTS (SELECT 1 FROM task t WHERE t.annotator_id = ${q.annotatorId} AND t.released_at IS NULL
                        AND t.campaign_id = ${q.campaignId} AND i.image_id = ANY(t.image_ids))
    ORDER BY ${Prisma.raw(q.lock === "skip" ? "i.priority" : "i.image_id")}
    LIMIT ${q.limit}
    FOR UPDATE ${Prisma.raw(q.lock === "skip" ? "SKIP LOCKED" : "")}`;
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

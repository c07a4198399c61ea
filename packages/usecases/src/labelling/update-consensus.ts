import { buildConfidenceTable, type ConfidenceTable, mulberry32, poolPlan, type Vote } from "@arbor/core";
import type { Tx } from "@arbor/db";
import { applyLinkStateChanges } from "../image-links/apply-link-state-changes.ts";
import { eligibleAnnotators } from "./annotator-pool.ts";
import { annotatorQualities } from "./annotator-quality.ts";
import { type CampaignPolicy, campaignPolicySchema } from "./campaign-policy.ts";
import { estimateAll, type GoldItems } from "./estimators.ts";

/**
 * Re-decides a campaign's items after new votes. While the seed set is incomplete nothing is decided; once
 * every seed image has its seedVotes votes (lowered to the annotator pool, see poolPlan), the synset's
 * confidence table is built (quality-weighted) and stored. Decided items move their image links to verified
 * or rejected; ambiguous ones wait for review. The pool rule: an image is asked only of annotators in the
 * pool who have not voted on it, so one that they could not decide even all agreeing, or that every one of
 * them has voted on, is ambiguous rather than pending for ever. Says whether it built the table.
 */
export async function updateConsensus(
  tx: Tx,
  campaignId: number,
  imageIds?: readonly number[],
): Promise<{ tableBuilt: boolean }> {
  const campaign = await tx.campaign.findUniqueOrThrow({
    where: { id: campaignId },
    select: { synsetId: true, policy: true, confidenceTable: true },
  });
  const policy = campaignPolicySchema.parse(campaign.policy);
  const pool = await eligibleAnnotators(tx);
  let table = campaign.confidenceTable as ConfidenceTable | null;
  let scope = imageIds;
  const tableBuilt = !table;
  if (!table) {
    table = await buildTableIfSeeded(tx, campaignId, campaign.synsetId, policy, pool.size);
    if (!table) return { tableBuilt: false };
    scope = undefined; // a new table: decide everything that has votes
  }
  if (policy.estimator === "dawid-skene") scope = undefined; // EM re-estimates every item from all votes
  const items = await tx.campaignItem.findMany({
    where: { campaignId, decision: "pending", ...(scope ? { imageId: { in: [...scope] } } : {}) },
    select: { imageId: true },
  });
  const votes = await votesOf(
    tx,
    campaign.synsetId,
    items.map((i) => i.imageId),
  );
  const gold = policy.estimator === "dawid-skene" ? await goldItems(tx, campaignId, campaign.synsetId) : new Map();
  // Gold accuracy of just the annotators whose votes are weighed, not of everyone on every answer.
  const quality = await annotatorQualities(
    tx,
    voterIds([...votes.values(), ...[...gold.values()].map((g) => g.votes)]),
  );
  // Annotators of the pool who could still vote on each image: those who have not yet.
  const remaining = new Map(
    [...votes].map(([id, list]) => [id, pool.size - list.filter((v) => pool.has(v.annotatorId)).length]),
  );
  const estimates = estimateAll(policy.estimator, votes, { table, policy, quality, gold, remaining });
  if (estimates.size === 0) return { tableBuilt };

  const decided = [...estimates];
  await tx.$executeRaw`
    UPDATE campaign_item i SET decision = d.decision::"ItemDecision", probability = d.probability, updated_at = now()
    FROM unnest(${decided.map(([id]) => id)}::int[], ${decided.map(([, e]) => e.decision)}::text[],
                ${decided.map(([, e]) => e.probability)}::float8[]) AS d(image_id, decision, probability)
    WHERE i.campaign_id = ${campaignId} AND i.image_id = d.image_id`;
  const links = decided.flatMap(([imageId, e]) =>
    e.decision === "verified" || e.decision === "rejected"
      ? [{ imageId, synsetId: campaign.synsetId, to: e.decision }]
      : [],
  );
  if (links.length > 0) {
    await tx.$executeRaw`SELECT 1 FROM image WHERE id = ANY(${links.map((l) => l.imageId)}) ORDER BY id FOR UPDATE`;
    await applyLinkStateChanges(tx, links);
  }
  const open = await tx.campaignItem.count({ where: { campaignId, decision: "pending" } });
  if (open === 0) await tx.campaign.update({ where: { id: campaignId }, data: { status: "done" } });
  return { tableBuilt };
}

async function buildTableIfSeeded(
  tx: Tx,
  campaignId: number,
  synsetId: number,
  policy: CampaignPolicy,
  annotators: number,
): Promise<ConfidenceTable | null> {
  const seed = await tx.campaignItem.findMany({
    where: { campaignId, isSeed: true },
    select: { imageId: true, yes: true, no: true },
  });
  const { seedVotes } = poolPlan(policy, annotators);
  if (seed.length === 0 || seed.some((i) => i.yes + i.no < seedVotes)) return null;
  const votes = await votesOf(
    tx,
    synsetId,
    seed.map((i) => i.imageId),
  );
  const quality = await annotatorQualities(tx, voterIds([...votes.values()]));
  const table = buildConfidenceTable(
    seed.map((i) => ({ votes: votes.get(i.imageId) ?? [] })),
    { maxVotes: policy.maxVotes, quality, rng: mulberry32(campaignId) },
  );
  await tx.campaign.update({ where: { id: campaignId }, data: { confidenceTable: table as object } });
  return table;
}

/** The gold answers given in this campaign's tasks, as items with known labels (for Dawid–Skene). */
async function goldItems(tx: Tx, campaignId: number, synsetId: number): Promise<GoldItems> {
  const rows = await tx.$queryRaw<{ image_id: number; annotator_id: number; positive: boolean; correct: boolean }[]>`
    SELECT v.image_id, v.annotator_id, v.positive, v.gold_correct AS correct
    FROM vote v JOIN task t ON t.id = v.task_id
    WHERE t.campaign_id = ${campaignId} AND v.synset_id = ${synsetId} AND v.gold_correct IS NOT NULL`;
  const items = new Map<number, { votes: Vote[]; label: boolean }>();
  for (const row of rows) {
    const item = items.get(row.image_id) ?? { votes: [], label: row.positive === row.correct };
    item.votes.push({ annotatorId: String(row.annotator_id), positive: row.positive });
    items.set(row.image_id, item);
  }
  return items;
}

function voterIds(voteLists: readonly (readonly Vote[])[]): number[] {
  return [...new Set(voteLists.flatMap((list) => list.map((v) => Number(v.annotatorId))))];
}

async function votesOf(tx: Tx, synsetId: number, imageIds: number[]): Promise<Map<number, Vote[]>> {
  const rows = await tx.vote.findMany({
    where: { synsetId, imageId: { in: imageIds }, goldCorrect: null },
    select: { imageId: true, annotatorId: true, positive: true },
  });
  const byImage = new Map<number, Vote[]>();
  for (const row of rows) {
    const list = byImage.get(row.imageId) ?? [];
    list.push({ annotatorId: String(row.annotatorId), positive: row.positive });
    byImage.set(row.imageId, list);
  }
  return byImage;
}

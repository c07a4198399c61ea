import {
  type AnnotatorQuality,
  buildConfidenceTable,
  type ConfidenceTable,
  calibrateDawidSkene,
  dawidSkene,
  decide,
  decisionFor,
  mulberry32,
  type Vote,
} from "@arbor/core";
import type { Db } from "@arbor/db";
import { applyLinkStateChanges } from "../image-links/apply-link-state-changes.ts";
import { annotatorQualities } from "./annotator-quality.ts";
import { type CampaignPolicy, campaignPolicySchema } from "./campaign-policy.ts";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * Re-decides a campaign's items after new votes. While the seed set is incomplete nothing is decided; once
 * every seed image has its seedVotes votes, the synset's confidence table is built (quality-weighted) and
 * stored. Decided items move their image links to verified or rejected; ambiguous ones wait for review.
 */
export async function updateConsensus(tx: Tx, campaignId: number, imageIds?: readonly number[]): Promise<void> {
  const campaign = await tx.campaign.findUniqueOrThrow({
    where: { id: campaignId },
    select: { synsetId: true, policy: true, confidenceTable: true },
  });
  const policy = campaignPolicySchema.parse(campaign.policy);
  const quality = await annotatorQualities(tx);
  let table = campaign.confidenceTable as ConfidenceTable | null;
  let scope = imageIds;
  if (!table) {
    table = await buildTableIfSeeded(tx, campaignId, campaign.synsetId, policy, quality);
    if (!table) return;
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
  const links: { imageId: number; synsetId: number; to: "verified" | "rejected" }[] = [];
  for (const item of items) {
    const itemVotes = votes.get(item.imageId) ?? [];
    if (itemVotes.length === 0) continue;
    const result = decide(itemVotes, table, policy, quality);
    await tx.campaignItem.update({
      where: { campaignId_imageId: { campaignId, imageId: item.imageId } },
      data: { decision: result.decision, probability: result.probability, updatedAt: new Date() },
    });
    if (result.decision === "verified" || result.decision === "rejected") {
      links.push({ imageId: item.imageId, synsetId: campaign.synsetId, to: result.decision });
    }
  }
  if (links.length > 0) {
    await tx.$executeRaw`SELECT 1 FROM image WHERE id = ANY(${links.map((l) => l.imageId)}) ORDER BY id FOR UPDATE`;
    await applyLinkStateChanges(tx, links);
  }
  const open = await tx.campaignItem.count({ where: { campaignId, decision: "pending" } });
  if (open === 0) await tx.campaign.update({ where: { id: campaignId }, data: { status: "done" } });
}

async function buildTableIfSeeded(
  tx: Tx,
  campaignId: number,
  synsetId: number,
  policy: CampaignPolicy,
  quality: Awaited<ReturnType<typeof annotatorQualities>>,
): Promise<ConfidenceTable | null> {
  const seed = await tx.campaignItem.findMany({
    where: { campaignId, isSeed: true },
    select: { imageId: true, yes: true, no: true },
  });
  if (seed.length === 0 || seed.some((i) => i.yes + i.no < policy.seedVotes)) return null;
  const votes = await votesOf(
    tx,
    synsetId,
    seed.map((i) => i.imageId),
  );
  const table = buildConfidenceTable(
    seed.map((i) => ({ votes: votes.get(i.imageId) ?? [] })),
    { maxVotes: policy.maxVotes, quality, rng: mulberry32(campaignId) },
  );
  await tx.campaign.update({ where: { id: campaignId }, data: { confidenceTable: table as object } });
  return table;
}

/**
 * Dawid–Skene over the whole campaign: every item with votes, plus the gold questions of its tasks as items
 * with known labels (they anchor each annotator's confusion matrix); posteriors calibrated for image
 * difficulty, then the same threshold rule as the adaptive method.
 */
async function dawidSkeneEstimate(
  tx: Tx,
  campaignId: number,
  synsetId: number,
  votes: Map<number, Vote[]>,
  policy: CampaignPolicy,
  quality: Map<string, AnnotatorQuality>,
): Promise<(itemVotes: Vote[], imageId: number) => { decision: string; probability: number }> {
  const gold = await tx.$queryRaw<{ image_id: number; annotator_id: number; positive: boolean; correct: boolean }[]>`
    SELECT v.image_id, v.annotator_id, v.positive, v.gold_correct AS correct
    FROM vote v JOIN task t ON t.id = v.task_id
    WHERE t.campaign_id = ${campaignId} AND v.synset_id = ${synsetId} AND v.gold_correct IS NOT NULL`;
  const goldItems = new Map<number, { votes: Vote[]; label: boolean }>();
  for (const g of gold) {
    const item = goldItems.get(g.image_id) ?? { votes: [], label: g.positive === g.correct };
    item.votes.push({ annotatorId: String(g.annotator_id), positive: g.positive });
    goldItems.set(g.image_id, item);
  }
  const ids = [...votes.keys()];
  const items = [...ids.map((id) => ({ votes: votes.get(id) ?? [] })), ...goldItems.values()];
  const result = dawidSkene(items, { quality });
  const { posteriors } = calibrateDawidSkene(items, result);
  const posteriorOf = new Map(ids.map((id, i) => [id, posteriors[i] as number]));
  return (itemVotes, imageId) => {
    const probability = posteriorOf.get(imageId) ?? 0.5;
    return { decision: decisionFor(probability, itemVotes.length, policy), probability };
  };
}

function voterIds(votes: Map<number, Vote[]>): number[] {
  return [...new Set([...votes.values()].flatMap((list) => list.map((v) => Number(v.annotatorId))))];
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

import { buildConfidenceTable, type ConfidenceTable, mulberry32, poolPlan, type Vote } from "@arbor/core";
import type { Tx } from "@arbor/db";
import { applyLinkStateChanges } from "../image-links/apply-link-state-changes.ts";
import { eligibleAnnotators } from "./annotator-pool.ts";
import { annotatorQualities } from "./annotator-quality.ts";
import { calibrateCampaign, calibrationDue, checkAudit, storedCalibration } from "./calibrate-campaign.ts";
import { type CampaignPolicy, campaignPolicySchema } from "./campaign-policy.ts";
import { type Estimate, estimateAll, type GoldItems } from "./estimators.ts";

/**
 * Re-decides a campaign's items after new votes. While the seed set is incomplete nothing is decided; once
 * every seed image has its seedVotes votes (lowered to the annotator pool, see poolPlan), the synset's
 * confidence table is built (quality-weighted) and stored. Decided items move their image links to verified
 * or rejected; ambiguous ones wait for review. The pool rule: an image is asked only of annotators in the
 * pool who have not voted on it, so one that they could not decide even all agreeing, or that every one of
 * them has voted on, is ambiguous rather than pending for ever. Says whether it built the table.
 *
 * With a model: once the table exists and every image of the calibration set (the seed and more random
 * images, see createCampaigns) is decided or ambiguous, the model is calibrated on the set's decisions, once
 * (calibrateCampaign: priors, ordering keys, auto-accept), and the pending images are decided again with
 * their priors. Images outside the set with a prior are decided by decideWithPrior (the image's prior in
 * place of the synset's base rate; from policy.minVotesWithPrior votes on a sure prior may stand in for the
 * votes missing to minVotes), under the same rule and target; the calibration set's images (the
 * calibration's own points, decided as without a model) and audit images (which must test the model, not
 * lean on it) on votes alone. When audit images are decided, the audit's verdict may switch auto-accept off
 * (checkAudit).
 */
export async function updateConsensus(
  tx: Tx,
  campaignId: number,
  imageIds?: readonly number[],
): Promise<{ tableBuilt: boolean }> {
  const campaign = await tx.campaign.findUniqueOrThrow({
    where: { id: campaignId },
    select: {
      synsetId: true,
      policy: true,
      confidenceTable: true,
      calibration: true,
      autoAccept: true,
      modelId: true,
    },
  });
  const policy = campaignPolicySchema.parse(campaign.policy);
  const pool = await eligibleAnnotators(tx);
  let table = campaign.confidenceTable as ConfidenceTable | null;
  let scope = imageIds;
  const tableBuilt = !table;
  if (!table) {
    const built = await buildTableIfSeeded(tx, campaignId, campaign.synsetId, policy, pool.size);
    if (!built) return { tableBuilt: false };
    // Another answer built it first: decide these images with the table (and calibration) it stored.
    if (built === "lost") return updateConsensus(tx, campaignId, imageIds);
    table = built;
    scope = undefined; // a new table: decide everything that has votes
  }
  if (policy.estimator === "dawid-skene") scope = undefined; // EM re-estimates every item from all votes
  const items = await tx.campaignItem.findMany({
    where: { campaignId, decision: "pending", ...(scope ? { imageId: { in: [...scope] } } : {}) },
    select: { imageId: true, isSeed: true, calibration: true, audit: true, prior: true },
  });
  const inSet = new Set(items.filter((i) => i.isSeed || i.calibration).map((i) => i.imageId));
  const priors = new Map(
    storedCalibration(campaign.calibration)?.priorsInConsensus
      ? items.flatMap((i) =>
          i.prior === null || inSet.has(i.imageId) || i.audit ? [] : [[i.imageId, i.prior] as const],
        )
      : [],
  );
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
  const context = { table, policy, quality, gold, remaining, priors };
  let decided = [...estimateAll(policy.estimator, votes, context)];
  const anyDecided = decided.length > 0;
  const setDecided = decided.some(([id, e]) => e.decision !== "pending" && inSet.has(id));
  if (!tableBuilt && campaign.autoAccept) {
    // Audit images first (they never use a prior): when their verdict switches auto-accept off, the priors
    // it discredits decide nothing more, not even the other images of this answer.
    const audit = new Set(items.filter((i) => i.audit).map((i) => i.imageId));
    const audited = decided.filter(([id, e]) => audit.has(id) && e.decision !== "pending");
    if (audited.length > 0) {
      await recordDecisions(tx, campaignId, campaign.synsetId, audited);
      const keptOn = await checkAudit(tx, campaignId, policy);
      const rest = keptOn ? decided : [...estimateAll(policy.estimator, votes, { ...context, priors: new Map() })];
      decided = rest.filter(([id]) => !audited.some(([a]) => a === id));
    }
  }
  if (decided.length > 0) await recordDecisions(tx, campaignId, campaign.synsetId, decided);
  // Only an answer that built the table or decided an image of the calibration set can complete the set.
  const calibrated =
    campaign.modelId !== null &&
    campaign.calibration === null &&
    (tableBuilt || setDecided) &&
    (await calibrateIfDue(tx, campaignId, policy));
  if (!anyDecided && !tableBuilt && !calibrated) return { tableBuilt };
  // Whether any is left, not how many: counting them read every pending item (120,000 in the benchmark's
  // campaign) on every consensus step that decided something.
  const [left] = await tx.$queryRaw<{ open: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM campaign_item WHERE campaign_id = ${campaignId} AND decision = 'pending') AS open`;
  if (!left?.open) await tx.campaign.update({ where: { id: campaignId }, data: { status: "done" } });
  return { tableBuilt };
}

/**
 * Calibrates the campaign's model when its calibration set is complete (calibrationDue), then decides every
 * pending image again, now with its prior: one that already has votes may need no more. Says whether it
 * calibrated. Also run after an admin decides an image of the set by hand (overrideDecision).
 */
export async function calibrateIfDue(tx: Tx, campaignId: number, policy: CampaignPolicy): Promise<boolean> {
  if (!(await calibrationDue(tx, campaignId))) return false;
  await calibrateCampaign(tx, campaignId, policy);
  await updateConsensus(tx, campaignId);
  return true;
}

/** Writes the decisions and moves the decided images' links. */
async function recordDecisions(
  tx: Tx,
  campaignId: number,
  synsetId: number,
  decided: readonly (readonly [number, Estimate])[],
): Promise<void> {
  await tx.$executeRaw`
    UPDATE campaign_item i SET decision = d.decision::"ItemDecision", probability = d.probability, updated_at = now()
    FROM unnest(${decided.map(([id]) => id)}::int[], ${decided.map(([, e]) => e.decision)}::text[],
                ${decided.map(([, e]) => e.probability)}::float8[]) AS d(image_id, decision, probability)
    WHERE i.campaign_id = ${campaignId} AND i.image_id = d.image_id`;
  const links = decided.flatMap(([imageId, e]) =>
    e.decision === "verified" || e.decision === "rejected" ? [{ imageId, synsetId, to: e.decision }] : [],
  );
  if (links.length > 0) {
    await tx.$executeRaw`SELECT 1 FROM image WHERE id = ANY(${links.map((l) => l.imageId)}) ORDER BY id FOR UPDATE`;
    await applyLinkStateChanges(tx, links);
  }
}

async function buildTableIfSeeded(
  tx: Tx,
  campaignId: number,
  synsetId: number,
  policy: CampaignPolicy,
  annotators: number,
): Promise<ConfidenceTable | "lost" | null> {
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
  // Only if nobody built it meanwhile (two answers completing the seed at once): the table happens once (and
  // calibration, guarded by calibrationDue's lock on the same row). The loser waits for the winner's row,
  // then finds it built.
  const stored = await tx.$executeRaw`
    UPDATE campaign SET confidence_table = ${JSON.stringify(table)}::jsonb
    WHERE id = ${campaignId} AND confidence_table IS NULL`;
  return stored === 1 ? table : "lost";
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

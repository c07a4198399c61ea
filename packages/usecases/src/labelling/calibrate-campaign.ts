import {
  auditVerdict,
  type Calibrator,
  calibrate,
  chooseAutoAcceptThreshold,
  fitCalibrator,
  mulberry32,
  orderingPriority,
  type ReliabilityBin,
  reliabilityCurve,
  sampleWithoutReplacement,
} from "@arbor/core";
import type { Tx } from "@arbor/db";
import { applyLinkStateChanges } from "../image-links/apply-link-state-changes.ts";
import type { CampaignPolicy } from "./campaign-policy.ts";
import { itemRandom } from "./item-random.ts";

/** Campaign.calibration: what the calibration set taught about the campaign's model. Plain JSON. */
export interface StoredCalibration {
  calibrator: Calibrator;
  /** Reliability of the calibrator on the points it was fitted to. */
  curve: ReliabilityBin[];
  /**
   * Calibration-set images (the seed among them) decided by people (verified or rejected) that have a score:
   * the fit's points. The name dates from when the seed alone was the calibration set.
   */
  seedPoints: number;
  /**
   * False once a failed audit showed the calibrated priors overstate P(positive): from then on votes decide
   * alone (the table's base rate), as without a model. The priors stay stored, for the campaign page.
   */
  priorsInConsensus: boolean;
}

/** The campaign's stored calibration, or null. */
export function storedCalibration(json: unknown): StoredCalibration | null {
  return (json as StoredCalibration | null) ?? null;
}

/**
 * Whether a model campaign is due for calibration: not calibrated yet, and no image of its calibration set
 * (CampaignItem.calibration, or the seed of a campaign made before calibration sets) is pending. Run in the
 * transaction that just decided some of the set's images (or built the table): the campaign row is locked
 * first, so of two answers deciding the set's last images at once the second waits, then sees the first's
 * decisions and calibrates, and neither is left thinking the other will.
 */
export async function calibrationDue(tx: Tx, campaignId: number): Promise<boolean> {
  const open = () =>
    tx.campaignItem.count({
      where: { campaignId, decision: "pending", OR: [{ calibration: true }, { isSeed: true }] },
    });
  // Unlocked first: while the set has pending images (nearly every answer), no answer queues on the campaign
  // row. Locking it on every answer serialised 20 annotators over HTTP into 5 s transaction timeouts and
  // deadlocks (their image locks, then the campaign's, against the calibrator's campaign, then images).
  if ((await open()) > 0) return false;
  const [campaign] = await tx.$queryRaw<{ due: boolean }[]>`
    SELECT model_id IS NOT NULL AND calibration IS NULL AS due FROM campaign WHERE id = ${campaignId} FOR UPDATE`;
  if (!campaign?.due) return false;
  // Again under the lock: an answer that completed the set at the same moment may have calibrated already.
  return (await open()) === 0;
}

/**
 * Run once, in the transaction that decided the calibration set's last image (calibrationDue): fits the
 * campaign model's calibrator on the calibration set (the seed and more random images, all decided on votes
 * alone as without a model; verified: positive, rejected: negative; ambiguous ones and those without a
 * score left out), stores it with its reliability curve, gives every image with a score its prior and every
 * image its ordering key, and, with auto-accept, chooses the threshold on the same human decisions and
 * verifies the images above it outside the set, except a random audit share left to people. The set is a
 * random draw from the candidates, so fitted on it the calibrator and the threshold's precision describe the
 * candidates as a whole. Nothing when the campaign names no model; no calibration (every image keeps the
 * base rate) when the set's points are all of one class, since a fit to one class cannot rank.
 */
export async function calibrateCampaign(tx: Tx, campaignId: number, policy: CampaignPolicy): Promise<void> {
  const campaign = await tx.campaign.findUniqueOrThrow({
    where: { id: campaignId },
    select: { synsetId: true, modelId: true, ordering: true, autoAccept: true, auditFraction: true },
  });
  if (campaign.modelId === null) return;
  const items = await tx.campaignItem.findMany({
    where: { campaignId },
    select: {
      imageId: true,
      isSeed: true,
      calibration: true,
      decision: true,
      modelScore: true,
      yes: true,
      no: true,
    },
    orderBy: { imageId: "asc" },
  });
  const inSet = (i: { isSeed: boolean; calibration: boolean }) => i.isSeed || i.calibration;
  const points = items.flatMap((i) =>
    inSet(i) && i.modelScore !== null && (i.decision === "verified" || i.decision === "rejected")
      ? [{ score: i.modelScore, positive: i.decision === "verified" }]
      : [],
  );
  const scores = points.map((p) => p.score);
  const labels = points.map((p) => p.positive);
  if (!labels.includes(true) || !labels.includes(false)) {
    if (campaign.autoAccept) {
      const why =
        points.length === 0
          ? "no calibration-set image people decided has a score"
          : `the ${points.length} calibration-set images people decided that have a score are all ` +
            (labels.includes(true) ? "verified" : "rejected");
      await switchOff(tx, campaignId, `no calibration: ${why}, so the model's scores cannot be calibrated`);
    }
    return;
  }
  const calibrator = fitCalibrator(scores, labels);
  const calibration: StoredCalibration = {
    calibrator,
    curve: reliabilityCurve(scores, labels, calibrator),
    seedPoints: points.length,
    priorsInConsensus: true,
  };
  const priors = items.map((i) => (i.modelScore === null ? null : calibrate(calibrator, i.modelScore)));
  const priorities = items.map((i, n) =>
    orderingPriority(campaign.ordering, priors[n] ?? null, itemRandom(campaignId, i.imageId)),
  );
  await tx.$executeRaw`
    UPDATE campaign_item i SET prior = d.prior, priority = d.priority
    FROM unnest(${items.map((i) => i.imageId)}::int[], ${priors}::float8[], ${priorities}::float8[])
      AS d(image_id, prior, priority)
    WHERE i.campaign_id = ${campaignId} AND i.image_id = d.image_id`;
  await tx.campaign.update({ where: { id: campaignId }, data: { calibration: calibration as object } });
  if (!campaign.autoAccept) return;

  // The calibrator is monotone, so "prior ≥ t" is a score threshold; the precision above it is counted on
  // the calibration set's own human decisions, not read off the calibrator.
  const choice = chooseAutoAcceptThreshold(
    points.map((p) => ({ prior: calibrate(calibrator, p.score), positive: p.positive })),
    policy.target,
  );
  if (choice.threshold === null) {
    await switchOff(tx, campaignId, `no threshold: ${choice.reason}`);
    return;
  }
  const threshold = choice.threshold;
  // Images people already started voting on are left to them, and the calibration set (all decided by now,
  // unless one was sent back for votes) stays the people's.
  const above = items.filter(
    (i, n) => !inSet(i) && i.decision === "pending" && i.yes + i.no === 0 && (priors[n] ?? -1) >= threshold,
  );
  // Seeded by the campaign, so the audit draw can be reproduced; at least one image when any is taken.
  const auditCount = Math.min(above.length, Math.ceil(above.length * campaign.auditFraction));
  const audit = new Set(
    sampleWithoutReplacement(
      mulberry32(campaignId),
      above.map((i) => i.imageId),
      auditCount,
    ),
  );
  const accepted = above.filter((i) => !audit.has(i.imageId));
  const priorOf = new Map(items.map((i, n) => [i.imageId, priors[n] as number]));
  await tx.campaign.update({ where: { id: campaignId }, data: { autoAcceptThreshold: threshold } });
  if (audit.size > 0) {
    await tx.campaignItem.updateMany({ where: { campaignId, imageId: { in: [...audit] } }, data: { audit: true } });
  }
  if (accepted.length === 0) return;
  const ids = accepted.map((i) => i.imageId);
  await tx.$executeRaw`
    UPDATE campaign_item i SET decision = 'verified', auto_accepted = true, probability = d.prior, updated_at = now()
    FROM unnest(${ids}::int[], ${ids.map((id) => priorOf.get(id))}::float8[]) AS d(image_id, prior)
    WHERE i.campaign_id = ${campaignId} AND i.image_id = d.image_id`;
  await tx.$executeRaw`SELECT 1 FROM image WHERE id = ANY(${ids}) ORDER BY id FOR UPDATE`;
  await applyLinkStateChanges(
    tx,
    ids.map((imageId) => ({ imageId, synsetId: campaign.synsetId, to: "verified" as const })),
  );
  // Provenance: verified by this model at this prior, not by people (datasets keep such links out of their
  // evaluation splits by default).
  await tx.$executeRaw`
    UPDATE image_link l SET model_verified_by_id = ${campaign.modelId}, model_verified_prior = d.prior
    FROM unnest(${ids}::int[], ${ids.map((id) => priorOf.get(id))}::float8[]) AS d(image_id, prior)
    WHERE l.image_id = d.image_id AND l.synset_id = ${campaign.synsetId}`;
}

/**
 * After audit images were decided (and recorded): the audit's verdict (auditVerdict: off once even the Wilson upper bound
 * of the share people verified is below the target; ambiguous audits are no evidence). Off means no new
 * image is auto-accepted and the priors leave the consensus (they overstate P(positive) where it matters
 * most); images already auto-accepted stay verified: the audit says the model's precision is below target,
 * not which of them are wrong, and they keep their model-verified mark for an admin to send back. Says
 * whether auto-accept stays on.
 */
export async function checkAudit(tx: Tx, campaignId: number, policy: CampaignPolicy): Promise<boolean> {
  const [counts] = await tx.$queryRaw<{ yes: number; total: number }[]>`
    SELECT count(*) FILTER (WHERE decision = 'verified')::int AS yes,
           count(*) FILTER (WHERE decision IN ('verified', 'rejected'))::int AS total
    FROM campaign_item WHERE campaign_id = ${campaignId} AND audit`;
  const verdict = auditVerdict(counts ?? { yes: 0, total: 0 }, policy.target);
  if (verdict.keepOn) return true;
  await switchOff(tx, campaignId, verdict.reason ?? "the audit failed");
  const { calibration } = await tx.campaign.findUniqueOrThrow({
    where: { id: campaignId },
    select: { calibration: true },
  });
  const stored = storedCalibration(calibration);
  if (stored) {
    await tx.campaign.update({
      where: { id: campaignId },
      data: { calibration: { ...stored, priorsInConsensus: false } as object },
    });
  }
  return false;
}

async function switchOff(tx: Tx, campaignId: number, reason: string): Promise<void> {
  await tx.campaign.update({ where: { id: campaignId }, data: { autoAccept: false, autoAcceptOffReason: reason } });
}

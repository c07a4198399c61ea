import type { Db } from "@arbor/db";
import { notFound } from "../errors.ts";
import { applyLinkStateChanges } from "../image-links/apply-link-state-changes.ts";
import { thumbnailUrl } from "../images/image-schemas.ts";
import { campaignPolicySchema } from "./campaign-policy.ts";
import { calibrateIfDue } from "./update-consensus.ts";

export interface ReviewItem {
  imageId: number;
  thumbnailUrl: string;
  yes: number;
  no: number;
  probability: number | null;
}

/** Images the crowd could not settle within maxVotes, for an admin to decide. */
export async function listReviewQueue(db: Db, campaignId: number): Promise<ReviewItem[]> {
  const items = await db.campaignItem.findMany({
    where: { campaignId, decision: "ambiguous" },
    orderBy: { imageId: "asc" },
    take: 200,
  });
  return items.map((i) => ({
    imageId: i.imageId,
    thumbnailUrl: thumbnailUrl(i.imageId),
    yes: i.yes,
    no: i.no,
    probability: i.probability,
  }));
}

/**
 * An admin's decision on an image of a campaign: final, overriding the crowd or the model (counts stay
 * exact). An auto-accepted image decided by an admin is no longer the model's: its marks are cleared. An
 * admin deciding the last pending image of a model's calibration set by hand completes the set as an answer
 * would: the model is calibrated then (calibrateIfDue).
 */
export async function overrideDecision(
  db: Db,
  campaignId: number,
  imageId: number,
  decision: "verified" | "rejected",
): Promise<void> {
  await db.$transaction(async (tx) => {
    const campaign = await tx.campaign.findUnique({
      where: { id: campaignId },
      select: { synsetId: true, policy: true, modelId: true, calibration: true, confidenceTable: true },
    });
    if (!campaign) throw notFound(`no campaign ${campaignId}`);
    const item = await tx.campaignItem.findUnique({
      where: { campaignId_imageId: { campaignId, imageId } },
      select: { isSeed: true, calibration: true, decision: true },
    });
    if (!item) throw notFound(`image ${imageId} is not in campaign ${campaignId}`);
    await tx.campaignItem.update({
      where: { campaignId_imageId: { campaignId, imageId } },
      data: { decision, autoAccepted: false, updatedAt: new Date() },
    });
    await tx.$executeRaw`SELECT 1 FROM image WHERE id = ${imageId} FOR UPDATE`;
    await applyLinkStateChanges(tx, [{ imageId, synsetId: campaign.synsetId, to: decision }]);
    await tx.imageLink.updateMany({
      where: { imageId, synsetId: campaign.synsetId },
      data: { modelVerifiedById: null, modelVerifiedPrior: null },
    });
    const completesSet =
      item.decision === "pending" &&
      (item.isSeed || item.calibration) &&
      campaign.modelId !== null &&
      campaign.calibration === null &&
      campaign.confidenceTable !== null;
    if (completesSet) await calibrateIfDue(tx, campaignId, campaignPolicySchema.parse(campaign.policy));
  });
}

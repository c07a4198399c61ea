import { type Calibrator, calibrate } from "@arbor/core";
import type { Db, Tx } from "@arbor/db";
import { conflict, forbidden, invalid, notFound, parseInput } from "../errors.ts";
import { applyLinkStateChanges } from "../image-links/apply-link-state-changes.ts";
import { retryOnConflict } from "../labelling/retry-on-conflict.ts";
import { type Actor, isAdmin } from "../restrictions/viewer.ts";
import { type SendBackForVotesInput, type SentBackForVotes, sendBackForVotesSchema } from "./candidate-schemas.ts";

/**
 * An admin doubts a verified link (a likely label error): it goes back to `candidate`, loses its model-verified
 * mark if auto-accept made it, and waits for votes as a pending item of the synset's active campaign — its own
 * item there again when it has one (decided items are reopened, votes kept: the consensus weighs every vote
 * on the image, and annotators who voted are not asked twice), else a new item. Either way it is handed out
 * first (priority below every pending item's), since an admin asked for it. With no active campaign of the
 * synset the link is a candidate all the same, and the next campaign started for the synset takes it.
 *
 * `forbidden` for a non-admin; `invalid` for an unknown wnid; `not-found` for no such image or no link of it to
 * the synset; `conflict` when the link is not verified (a candidate is waiting already, a rejected one was
 * decided the other way). Counts stay exact (applyLinkStateChanges, under the image's row lock).
 */
export async function sendBackForVotes(db: Db, input: SendBackForVotesInput, actor: Actor): Promise<SentBackForVotes> {
  if (!isAdmin(actor)) throw forbidden("only admins may send a link back for votes");
  const { imageId, wnid } = parseInput(sendBackForVotesSchema, input);
  const synset = await db.synset.findUnique({ where: { wnid }, select: { id: true } });
  if (!synset) throw invalid(`no synset ${wnid}`);
  const synsetId = synset.id;
  return retryOnConflict(() =>
    db.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM image WHERE id = ${imageId} FOR UPDATE`;
      if (locked.length === 0) throw notFound(`no image ${imageId}`);
      const where = { imageId_synsetId: { imageId, synsetId } };
      const link = await tx.imageLink.findUnique({ where, select: { state: true } });
      if (!link) throw notFound(`image ${imageId} is not linked to ${wnid}`);
      if (link.state !== "verified") {
        throw conflict(
          `image ${imageId} is ${link.state} for ${wnid}, not verified: only a verified link is sent back`,
        );
      }
      await applyLinkStateChanges(tx, [{ imageId, synsetId, to: "candidate" }]);
      await tx.imageLink.update({ where, data: { modelVerifiedById: null, modelVerifiedPrior: null } });
      const campaignId = await reopenInCampaign(tx, imageId, synsetId);
      return { imageId, wnid, state: "candidate" as const, campaignId };
    }),
  );
}

/** Puts the image into the synset's active campaign as a pending item, first in line; null: no such campaign. */
async function reopenInCampaign(tx: Tx, imageId: number, synsetId: number): Promise<number | null> {
  // The campaign that has the image already (createCampaigns keeps an image in one active campaign of a
  // synset at most), else the newest active one.
  const [campaign] = await tx.$queryRaw<{ id: number; model_id: number | null; calibration: unknown; has: boolean }[]>`
    SELECT c.id, c.model_id, c.calibration,
      EXISTS (SELECT 1 FROM campaign_item i WHERE i.campaign_id = c.id AND i.image_id = ${imageId}) AS has
    FROM campaign c WHERE c.synset_id = ${synsetId} AND c.status = 'active'
    ORDER BY 4 DESC, c.id DESC LIMIT 1`;
  if (!campaign) return null;
  const [first] = await tx.$queryRaw<{ min: number | null }[]>`
    SELECT min(priority)::float8 AS min FROM campaign_item WHERE campaign_id = ${campaign.id} AND decision = 'pending'`;
  const priority = (first?.min ?? 0) - 1;
  if (campaign.has) {
    await tx.campaignItem.update({
      where: { campaignId_imageId: { campaignId: campaign.id, imageId } },
      data: { decision: "pending", probability: null, autoAccepted: false, priority, updatedAt: new Date() },
    });
    return campaign.id;
  }
  // A new item gets what its siblings have: the model's out-of-sample score (the synset or a descendant, the
  // highest) and, once the campaign is calibrated, the calibrated prior.
  let modelScore: number | null = null;
  if (campaign.model_id !== null) {
    const [row] = await tx.$queryRaw<{ score: number | null }[]>`
      SELECT max(p.score)::float8 AS score FROM synset_closure c
      JOIN prediction p ON p.synset_id = c.descendant_id AND p.model_id = ${campaign.model_id}
        AND p.image_id = ${imageId} AND NOT p.in_training
      WHERE c.ancestor_id = ${synsetId}`;
    modelScore = row?.score ?? null;
  }
  const calibrator = (campaign.calibration as { calibrator?: Calibrator } | null)?.calibrator;
  const prior = calibrator && modelScore !== null ? calibrate(calibrator, modelScore) : null;
  await tx.campaignItem.create({ data: { campaignId: campaign.id, imageId, modelScore, prior, priority } });
  return campaign.id;
}

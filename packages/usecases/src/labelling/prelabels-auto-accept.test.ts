import { mulberry32 } from "@arbor/core";
import { useTestDatabase } from "@arbor/db/testing";
import { describe, expect, it } from "vitest";
import { recountSynsetCounts } from "../image-links/recount-synset-counts.ts";
import type { StoredCalibration } from "./calibrate-campaign.ts";
import { createCampaigns } from "./create-campaign.ts";
import { getCampaign } from "./get-campaign.ts";
import { BEAGLE, MALTESE, PAPILLON, prelabelsFixture, separable, truthful } from "./prelabels-fixture.ts";

describe("auto-accept on a calibrated model, and its audit (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");
  const { candidates, model, freshPool, labelAll, items } = prelabelsFixture(t);

  /**
   * 480 images: a 40-image seed and a 240-image calibration set (the seed among them; at least 200 human
   * decisions are needed for a threshold), 240 more; a separable model (positives score above 0.55, negatives
   * below 0.45). Three truthful annotators.
   */
  async function autoAcceptCampaign(wnid: string, auditFraction: number) {
    const crowd = await freshPool(3);
    const { ids, truth } = await candidates(480, wnid);
    const modelId = await model(
      [wnid],
      ids.map((imageId, i) => ({ imageId, wnid, score: separable(i, truth.get(imageId) ?? false) })),
    );
    const {
      ids: [campaignId],
    } = await createCampaigns(t.db, {
      wnid,
      policy: {
        seedSize: 40,
        seedVotes: 3,
        taskSize: 48,
        goldRate: 0,
        minVotes: 2,
        maxVotes: 3,
        target: 0.95,
        calibrationSize: 240,
      },
      model: { modelId, autoAccept: true, auditFraction },
    });
    return { crowd, ids, truth, modelId, id: campaignId as number };
  }

  it("auto-accepts high-prior images without votes, marks their links model-verified, and audits a share", async () => {
    const { crowd, truth, modelId, id } = await autoAcceptCampaign(BEAGLE, 0.05);
    await labelAll(crowd, truthful(truth));
    const campaign = await t.db.campaign.findUniqueOrThrow({ where: { id } });
    expect(campaign.autoAccept).toBe(true);
    expect(campaign.autoAcceptOffReason).toBeNull();
    expect(campaign.autoAcceptThreshold).not.toBeNull();
    const all = await items(id);
    const accepted = all.filter((i) => i.autoAccepted);
    const audit = all.filter((i) => i.audit);
    expect(accepted.length).toBeGreaterThan(70); // ~120 positives among the 240 outside the calibration set
    for (const item of accepted) {
      expect(item).toMatchObject({
        decision: "verified",
        yes: 0,
        no: 0,
        isSeed: false,
        calibration: false,
        audit: false,
      });
      expect(item.prior).toBeGreaterThanOrEqual(campaign.autoAcceptThreshold as number);
      expect(truth.get(item.imageId)).toBe(true);
    }
    // The audit: 5 % of what auto-accept would have taken (rounded up), decided by votes like any image.
    expect(audit.length).toBe(Math.ceil(0.05 * (accepted.length + audit.length)));
    for (const item of audit) {
      expect(item.autoAccepted).toBe(false);
      expect(item.decision).toBe("verified");
      expect(item.yes + item.no).toBeGreaterThanOrEqual(2);
    }
    const synset = await t.db.synset.findUniqueOrThrow({ where: { wnid: BEAGLE } });
    const links = await t.db.imageLink.findMany({
      where: { synsetId: synset.id, imageId: { in: accepted.map((i) => i.imageId) } },
    });
    expect(links).toHaveLength(accepted.length);
    const priorOf = new Map(accepted.map((i) => [i.imageId, i.prior as number]));
    for (const link of links) {
      expect(link).toMatchObject({ state: "verified", modelVerifiedById: modelId });
      expect(link.modelVerifiedPrior).toBeCloseTo(priorOf.get(link.imageId) as number, 5);
    }
    // Links people verified carry no model mark.
    const byPeople = await t.db.imageLink.count({
      where: { synsetId: synset.id, state: "verified", modelVerifiedById: null },
    });
    expect(byPeople).toBe(all.filter((i) => i.decision === "verified" && !i.autoAccepted).length);

    const page = await getCampaign(t.db, id);
    expect(page.model?.calibration?.kind).toBe("isotonic"); // 240 calibration-set points
    expect(page.model?.calibration?.seedPoints).toBe(240);
    expect(page.model?.calibrationSet).toMatchObject({ size: 240, decided: 240, ambiguous: 0, pending: 0 });
    expect(all.filter((i) => i.calibration && (i.autoAccepted || i.audit))).toEqual([]);
    expect(page.model?.autoAccept).toMatchObject({
      on: true,
      audited: audit.length,
      auditPending: 0,
      auditPrecision: 1,
      offReason: null,
      autoAccepted: accepted.length,
    });
    expect(page.status).toBe("done");
    expect(page.state.message).toMatch(`the model auto-accepted ${accepted.length}`);
    // An auto-accepted image needs votes without the model; it used none: saved.
    expect(page.model?.votesSaved?.saved).toBeGreaterThanOrEqual(2 * accepted.length);
    expect(await recountSynsetCounts(t.db)).toEqual([]);
  }, 180_000);

  it("switches auto-accept off when the audit shows a model made bad on purpose, and says why", async () => {
    const { crowd, truth, id } = await autoAcceptCampaign(PAPILLON, 0.1);
    // The model fooled its calibration: right on the calibration set, anti-correlated on every other image.
    await t.db
      .$executeRaw`UPDATE campaign_item SET model_score = 1 - model_score WHERE campaign_id = ${id} AND NOT calibration`;
    await labelAll(crowd, truthful(truth));
    const campaign = await t.db.campaign.findUniqueOrThrow({ where: { id } });
    expect(campaign.autoAccept).toBe(false);
    expect(campaign.autoAcceptOffReason).toMatch(/^audit: people verified 0 of \d+ auto-accepted items/);
    expect(campaign.autoAcceptOffReason).toMatch(/below the target 0\.95/);
    const all = await items(id);
    const accepted = all.filter((i) => i.autoAccepted);
    const audit = all.filter((i) => i.audit);
    // It had taken the negatives the flipped scores put on top; those stay verified (the audit cannot say
    // which are wrong), marked model-verified for an admin to send back.
    expect(accepted.length).toBeGreaterThan(70);
    expect(accepted.every((i) => i.decision === "verified" && !truth.get(i.imageId))).toBe(true);
    expect(audit.every((i) => i.decision === "rejected")).toBe(true);
    // The priors left the consensus: the rest was decided by votes alone, and rightly.
    expect((campaign.calibration as unknown as StoredCalibration).priorsInConsensus).toBe(false);
    for (const item of all.filter((i) => !i.calibration && !i.autoAccepted && i.decision !== "ambiguous")) {
      expect(item.decision).toBe(truth.get(item.imageId) ? "verified" : "rejected");
    }
    const page = await getCampaign(t.db, id);
    expect(page.model?.autoAccept).toMatchObject({ on: false, auditPrecision: 0, autoAccepted: accepted.length });
    expect(page.model?.autoAccept.offReason).toBe(campaign.autoAcceptOffReason);
    expect(page.model?.calibration?.priorsInConsensus).toBe(false);
  }, 180_000);

  it("does not auto-accept on a model whose scores are random: no threshold meets the target", async () => {
    const crowd = await freshPool(3);
    const { ids, truth } = await candidates(260, MALTESE);
    const random = mulberry32(5);
    const modelId = await model(
      [MALTESE],
      ids.map((imageId) => ({ imageId, wnid: MALTESE, score: random() })),
    );
    const {
      ids: [campaignId],
    } = await createCampaigns(t.db, {
      wnid: MALTESE,
      policy: { seedSize: 230, seedVotes: 3, taskSize: 48, goldRate: 0, minVotes: 2, maxVotes: 3, target: 0.95 },
      model: { modelId, autoAccept: true },
    });
    const id = campaignId as number;
    await labelAll(crowd, truthful(truth));
    const campaign = await t.db.campaign.findUniqueOrThrow({ where: { id } });
    expect(campaign).toMatchObject({ autoAccept: false, autoAcceptThreshold: null });
    expect(campaign.autoAcceptOffReason).toMatch(/^no threshold: no threshold meets the target 0\.95/);
    expect(
      await t.db.campaignItem.count({ where: { campaignId: id, OR: [{ autoAccepted: true }, { audit: true }] } }),
    ).toBe(0);
  }, 180_000);
});

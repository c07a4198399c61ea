import { calibrate } from "@arbor/core";
import { useTestDatabase } from "@arbor/db/testing";
import { describe, expect, it } from "vitest";
import { sendBackForVotes } from "../candidates/send-back-for-votes.ts";
import { OPERATOR } from "../restrictions/viewer.ts";
import type { StoredCalibration } from "./calibrate-campaign.ts";
import { createCampaigns } from "./create-campaign.ts";
import { getCampaign } from "./get-campaign.ts";
import { itemRandom, SEED_SHIFT } from "./item-random.ts";
import { nextTask } from "./next-task.ts";
import {
  AFGHAN,
  BASSET,
  BLUETICK,
  CAT,
  goodScore,
  PEKINESE,
  prelabelsFixture,
  separable,
  truthful,
} from "./prelabels-fixture.ts";
import { overrideDecision } from "./review-queue.ts";

describe("the calibration set, and the model's guess on tasks (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");
  const { linked, candidates, model, freshPool, labelAll, answerOne, items } = prelabelsFixture(t);

  /**
   * A campaign of `n` images with a separable model, its seed (10) and calibration set labelled by three
   * truthful annotators one task at a time, stopping at the task that calibrated the model. After every task:
   * calibrated exactly when no image of the calibration set is pending. With 100 or more points the
   * calibrator is isotonic, and on a separable model its priors are sure (0.001 and 0.999 but near the gap).
   */
  async function calibratedCampaign(wnid: string, n: number, policy: Record<string, number> = {}) {
    const crowd = await freshPool(3);
    const { ids, truth } = await candidates(n, wnid);
    const modelId = await model(
      [wnid],
      ids.map((imageId, i) => ({ imageId, wnid, score: separable(i, truth.get(imageId) ?? false) })),
    );
    const {
      ids: [campaignId],
    } = await createCampaigns(t.db, {
      wnid,
      policy: {
        seedSize: 10,
        seedVotes: 3,
        taskSize: 20,
        goldRate: 0,
        minVotes: 2,
        maxVotes: 3,
        target: 0.95,
        ...policy,
      },
      model: { modelId },
    });
    const id = campaignId as number;
    let tasks = 0;
    let waited = 0; // tasks after the table was built but before calibration
    for (let turn = 0; turn < 100; turn++) {
      const shown = await answerOne(crowd[turn % 3] as number, (imageId) => truth.get(imageId) ?? false);
      if (shown) tasks++;
      const campaign = await t.db.campaign.findUniqueOrThrow({ where: { id } });
      const open = await t.db.campaignItem.count({ where: { campaignId: id, calibration: true, decision: "pending" } });
      expect(campaign.calibration !== null, `after task ${tasks}: ${open} calibration images pending`).toBe(open === 0);
      if (campaign.calibration !== null) return { crowd, ids, truth, id, modelId, tasks, waited };
      if (campaign.confidenceTable !== null && waited++ === 0) {
        // The campaign page says what the model waits for.
        const page = await getCampaign(t.db, id);
        const set = page.model?.calibrationSet;
        expect(set?.pending).toBe(open);
        expect(page.model?.calibration).toBeNull();
        expect(page.state.message).toContain(
          `The model's calibration set comes first: ${(set?.size ?? 0) - open} of its ${set?.size} images`,
        );
      }
    }
    throw new Error("never calibrated");
  }

  /**
   * One task for `annotatorId` once the campaign is calibrated, answered truthfully but for the first
   * `contradict` images it shows that had no vote yet and a sure prior (≥ 0.99 or ≤ 0.01); `single` lists
   * the sure fresh images it showed (at least 6), `contradicted` those answered wrong, `after` the items.
   */
  async function oneVoteEach(id: number, annotatorId: number, truth: Map<number, boolean>, contradict: number) {
    const before = await items(id);
    const sure = (prior: number | null) => prior !== null && (prior >= 0.99 || prior <= 0.01);
    const fresh = new Set(
      before.filter((i) => !i.calibration && i.yes + i.no === 0 && sure(i.prior)).map((i) => i.imageId),
    );
    const contradicted = new Set<number>();
    const shown = await answerOne(annotatorId, (imageId) => {
      const flip = fresh.has(imageId) && contradicted.size < contradict;
      if (flip) contradicted.add(imageId);
      return flip !== (truth.get(imageId) ?? false);
    });
    const single = (shown ?? []).filter((imageId) => fresh.has(imageId));
    expect(single.length).toBeGreaterThan(5);
    const after = new Map((await items(id)).map((i) => [i.imageId, i]));
    return { single, contradicted, after };
  }

  it("draws the calibration set at random, decides it on votes alone, and calibrates once all of it is decided", async () => {
    const { crowd, truth, id, modelId, waited } = await calibratedCampaign(AFGHAN, 220);
    const all = await items(id);
    const set = all.filter((i) => i.calibration);
    // min(calibrationSize 1000, half of 220) = 110: the 10 seed images and the 100 next in the random order,
    // whatever their scores.
    expect(set).toHaveLength(110);
    expect(all.filter((i) => i.isSeed).every((i) => i.calibration)).toBe(true);
    const byRandom = all.filter((i) => !i.isSeed).sort((p, q) => itemRandom(id, p.imageId) - itemRandom(id, q.imageId));
    expect(new Set(set.filter((i) => !i.isSeed).map((i) => i.imageId))).toEqual(
      new Set(byRandom.slice(0, 100).map((i) => i.imageId)),
    );
    // The model waited for the set: tasks after the table was built, still without calibration.
    expect(waited).toBeGreaterThan(0);
    // Decided on votes alone: minVotes (2) votes each, where a sure prior needs one (below).
    for (const item of set) {
      expect(item.decision).toBe(truth.get(item.imageId) ? "verified" : "rejected");
      expect(item.yes + item.no).toBeGreaterThanOrEqual(2);
    }
    const calibration = (await t.db.campaign.findUniqueOrThrow({ where: { id } }))
      .calibration as unknown as StoredCalibration;
    expect(calibration).toMatchObject({ seedPoints: 110, calibrator: { kind: "isotonic" } });
    const page = await getCampaign(t.db, id);
    expect(page.model?.calibrationSet).toMatchObject({ size: 110, decided: 110, ambiguous: 0, pending: 0 });

    // minVotesWithPrior 1 (the default): a sure prior and one agreeing vote decide; a contradicting vote does not.
    const { single, contradicted, after } = await oneVoteEach(id, crowd[0] as number, truth, 3);
    expect(contradicted.size).toBe(3);
    for (const imageId of single) {
      const item = after.get(imageId);
      expect((item?.yes ?? 0) + (item?.no ?? 0)).toBe(1);
      const expected = contradicted.has(imageId) ? "pending" : truth.get(imageId) ? "verified" : "rejected";
      expect(item?.decision, `image ${imageId}, prior ${item?.prior}`).toBe(expected);
    }

    // A link an admin sends back for votes joins the campaign outside the calibration set, with its prior.
    const [doubted] = (await linked(1, AFGHAN, "verified")) as [number];
    const afghan = await t.db.synset.findUniqueOrThrow({ where: { wnid: AFGHAN } });
    await t.db.prediction.create({ data: { modelId, imageId: doubted, synsetId: afghan.id, score: 0.9 } });
    expect(await sendBackForVotes(t.db, { imageId: doubted, wnid: AFGHAN }, OPERATOR)).toMatchObject({
      campaignId: id,
    });
    const added = await t.db.campaignItem.findUniqueOrThrow({
      where: { campaignId_imageId: { campaignId: id, imageId: doubted } },
    });
    expect(added).toMatchObject({ decision: "pending", isSeed: false, calibration: false });
    expect(added.prior).toBeCloseTo(calibrate(calibration.calibrator, 0.9), 9);
  }, 120_000);

  it("keeps the floor when minVotesWithPrior is minVotes, and sizes the calibration set by policy", async () => {
    const { crowd, truth, id } = await calibratedCampaign(BASSET, 240, { minVotesWithPrior: 2, calibrationSize: 110 });
    const all = await items(id);
    expect(all.filter((i) => i.calibration)).toHaveLength(110); // min(110, half of 240)
    const { single, after } = await oneVoteEach(id, crowd[0] as number, truth, 0);
    // The same sure priors and agreeing votes as above, but the prior never shortens the floor.
    for (const imageId of single) {
      const item = after.get(imageId);
      expect((item?.yes ?? 0) + (item?.no ?? 0)).toBe(1);
      expect(item?.decision, `image ${imageId}, prior ${item?.prior}`).toBe("pending");
    }

    // Never fewer than the seed: calibrationSize 3 with a seed of 10 is the seed; no model, no set at all.
    await freshPool(0);
    const small = await candidates(30, BLUETICK);
    const modelId = await model(
      [BLUETICK],
      small.ids.map((imageId, i) => ({
        imageId,
        wnid: BLUETICK,
        score: separable(i, small.truth.get(imageId) ?? false),
      })),
    );
    const policy = { seedSize: 10, calibrationSize: 3 };
    const {
      ids: [withModel],
    } = await createCampaigns(t.db, { wnid: BLUETICK, policy, model: { modelId } });
    const seedOnly = await items(withModel as number);
    expect(seedOnly.filter((i) => i.calibration).map((i) => i.imageId)).toEqual(
      seedOnly.filter((i) => i.isSeed).map((i) => i.imageId),
    );
    await t.db.campaign.update({ where: { id: withModel as number }, data: { status: "paused" } });
    const {
      ids: [noModel],
    } = await createCampaigns(t.db, { wnid: BLUETICK, policy: { seedSize: 10 } });
    const plain = await items(noModel as number);
    expect(plain).toHaveLength(30);
    expect(plain.filter((i) => i.calibration)).toHaveLength(0);
    // Without a model nothing waits for a calibration set: seed first, then everyone by their random key.
    for (const item of plain) {
      expect(item.priority).toBeCloseTo(
        itemRandom(noModel as number, item.imageId) - (item.isSeed ? SEED_SHIFT : 0),
        9,
      );
    }

    // An admin deciding the calibration set's last pending images by hand completes it as answers would.
    const admins = await freshPool(3);
    const {
      ids: [byHand],
    } = await createCampaigns(t.db, {
      wnid: BLUETICK,
      policy: { seedSize: 10, seedVotes: 3, taskSize: 10, goldRate: 0, calibrationSize: 15 },
      model: { modelId },
    });
    const handId = byHand as number;
    for (const annotatorId of admins) await answerOne(annotatorId, (imageId) => small.truth.get(imageId) ?? false);
    const rest = (await items(handId)).filter((i) => i.calibration && !i.isSeed);
    expect(rest).toHaveLength(5); // min(15, half of 30) − the seed's 10
    for (const [n, item] of rest.entries()) {
      const calibration = (await t.db.campaign.findUniqueOrThrow({ where: { id: handId } })).calibration;
      expect(calibration, `before the ${n + 1}th of 5`).toBeNull();
      await overrideDecision(t.db, handId, item.imageId, small.truth.get(item.imageId) ? "verified" : "rejected");
    }
    const done = await t.db.campaign.findUniqueOrThrow({ where: { id: handId } });
    expect((done.calibration as unknown as StoredCalibration | null)?.seedPoints).toBe(15);
  }, 120_000);

  it("shows the model's guess on about 90 % of tasks, never on gold, calibration-set or audit images", async () => {
    const crowd = await freshPool(3);
    // Gold: verified Pekinese beyond the four examples (yes), verified cats (no).
    const goldYes = await linked(8, PEKINESE, "verified");
    const goldNo = await linked(6, CAT, "verified");
    const { ids, truth } = await candidates(80, PEKINESE);
    for (const g of goldYes) truth.set(g, true);
    for (const g of goldNo) truth.set(g, false);
    const modelId = await model(
      [PEKINESE],
      ids.map((imageId, i) => ({ imageId, wnid: PEKINESE, score: goodScore(truth.get(imageId) ?? false, i) })),
    );
    const {
      ids: [campaignId],
    } = await createCampaigns(t.db, {
      wnid: PEKINESE,
      policy: {
        seedSize: 10,
        seedVotes: 3,
        taskSize: 10,
        goldRate: 0.2,
        minVotes: 2,
        maxVotes: 3,
        target: 0.95,
        calibrationSize: 20,
      },
      model: { modelId, showModelGuess: true },
    });
    const id = campaignId as number;
    const seedTask = await nextTask(t.db, crowd[0] as number);
    // While seeding nothing is calibrated: no guess, and the task does not count as showing one.
    expect(seedTask?.images.every((image) => image.modelGuess === null)).toBe(true);
    expect((await t.db.task.findUniqueOrThrow({ where: { id: seedTask?.taskId } })).showsModelGuess).toBe(false);
    await t.db.task.update({ where: { id: seedTask?.taskId }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } });
    // The seed, then the rest of the calibration set, a round at a time until the model is calibrated: until
    // then no task shows a guess.
    const calibrated = async () => (await t.db.campaign.findUniqueOrThrow({ where: { id } })).calibration !== null;
    for (let round = 0; round < 20 && !(await calibrated()); round++) {
      const before = new Date();
      await labelAll(crowd, truthful(truth), 1);
      if (!(await calibrated())) {
        expect(
          await t.db.task.count({ where: { campaignId: id, createdAt: { gte: before }, showsModelGuess: true } }),
        ).toBe(0);
      }
    }
    expect(await calibrated()).toBe(true);

    const item = new Map((await items(id)).map((i) => [i.imageId, i]));
    let showing = 0;
    const tasks = 300;
    for (let n = 0; n < tasks; n++) {
      const task = await nextTask(t.db, crowd[0] as number);
      if (!task) throw new Error("no task");
      const row = await t.db.task.findUniqueOrThrow({ where: { id: task.taskId } });
      const gold = row.gold as Record<string, boolean>;
      expect(Object.keys(gold).length).toBe(2);
      if (row.showsModelGuess) showing++;
      for (const image of task.images) {
        const imageId = row.imageIds[image.handle] as number;
        const it = item.get(imageId);
        if (
          String(imageId) in gold ||
          !row.showsModelGuess ||
          !it ||
          it.isSeed ||
          it.calibration ||
          it.audit ||
          it.prior === null
        ) {
          expect(image.modelGuess).toBeNull();
        } else {
          expect(image.modelGuess?.prior).toBeCloseTo(it.prior, 9);
        }
      }
      // Hand it back (an expired lease) so the next request can draw the same images again.
      await t.db.task.update({ where: { id: task.taskId }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } });
    }
    // 90 % of 300 is 270 (sd 5.2): far from both 300 (always) and 150 (a coin).
    console.log(`tasks showing the model's guess: ${showing} of ${tasks}`);
    expect(showing).toBeGreaterThan(240);
    expect(showing).toBeLessThan(297);

    await labelAll(crowd, truthful(truth), 3);
    const anchoring = (await getCampaign(t.db, id)).model?.anchoring;
    expect(anchoring?.withGuess.answers).toBeGreaterThan(0);
    expect(anchoring?.withGuess.yesRate).not.toBeNull();
  }, 120_000);
});

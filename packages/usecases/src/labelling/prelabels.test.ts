import { type Calibrator, calibrate, orderingPriority } from "@arbor/core";
import { useTestDatabase } from "@arbor/db/testing";
import { describe, expect, it } from "vitest";
import { recountSynsetCounts } from "../image-links/recount-synset-counts.ts";
import type { StoredCalibration } from "./calibrate-campaign.ts";
import { createCampaigns } from "./create-campaign.ts";
import { getCampaign } from "./get-campaign.ts";
import { itemRandom, SEED_SHIFT } from "./item-random.ts";
import { nextTask, openItemsQuery } from "./next-task.ts";
import {
  CAT,
  CHIHUAHUA,
  DOG,
  goodScore,
  noisy,
  PUG,
  prelabelsFixture,
  SHIH_TZU,
  TOY_TERRIER,
  truthful,
} from "./prelabels-fixture.ts";

describe("campaigns driven by a model (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");
  const { candidates, model, freshPool, labelAll, items } = prelabelsFixture(t);

  it("needs fewer votes with a good model than without, on the same simulated votes, at the same precision", async () => {
    const crowd = await freshPool(6);
    const withModel = await candidates(200, CHIHUAHUA);
    const without = await candidates(200, SHIH_TZU);
    const modelId = await model(
      [CHIHUAHUA],
      withModel.ids.map((imageId, i) => ({ imageId, wnid: CHIHUAHUA, score: goodScore(i % 2 === 0, i) })),
    );
    // The shipped rule (minVotes 2, minVotesWithPrior 1), with a calibration set of 80 of the 200 images.
    const policy = {
      seedSize: 40,
      seedVotes: 5,
      taskSize: 20,
      goldRate: 0,
      minVotes: 2,
      maxVotes: 6,
      target: 0.95,
      calibrationSize: 80,
    };
    const {
      ids: [a],
    } = await createCampaigns(t.db, { wnid: CHIHUAHUA, policy, model: { modelId } });
    const {
      ids: [b],
    } = await createCampaigns(t.db, { wnid: SHIH_TZU, policy });
    const [withId, withoutId] = [a as number, b as number];

    // One campaign at a time, each with the same crowd answering position k of its images the same way.
    await t.db.campaign.update({ where: { id: withoutId }, data: { status: "paused" } });
    await labelAll(crowd, noisy(withModel.truth, withModel.ids));
    await t.db.campaign.update({ where: { id: withoutId }, data: { status: "active" } });
    await labelAll(crowd, noisy(without.truth, without.ids));

    type Item = Awaited<ReturnType<typeof items>>[number];
    const outcome = (rows: Item[], truth: Map<number, boolean>) => {
      const decided = rows.filter((i) => i.decision !== "pending");
      const verified = rows.filter((i) => i.decision === "verified");
      const rejected = rows.filter((i) => i.decision === "rejected");
      const votes = decided.reduce((sum, i) => sum + i.yes + i.no, 0);
      return {
        pending: rows.length - decided.length,
        votesPerImage: votes / decided.length,
        precision: verified.filter((i) => truth.get(i.imageId)).length / verified.length,
        rejectedRight: rejected.filter((i) => !truth.get(i.imageId)).length / rejected.length,
        votes,
        decided: decided.length,
      };
    };
    const withRows = await items(withId);
    const withoutRows = await items(withoutId);
    const set = withRows.filter((i) => i.calibration);
    expect(set).toHaveLength(80);
    expect(withoutRows.filter((i) => i.calibration)).toHaveLength(0); // no model, no calibration set
    const w = outcome(
      withRows.filter((i) => !i.isSeed),
      withModel.truth,
    );
    const later = outcome(
      withRows.filter((i) => !i.calibration),
      withModel.truth,
    );
    const calibrationSet = outcome(
      set.filter((i) => !i.isSeed),
      withModel.truth,
    );
    const all = outcome(withRows, withModel.truth);
    const wo = outcome(
      withoutRows.filter((i) => !i.isSeed),
      without.truth,
    );
    const woAll = outcome(withoutRows, without.truth);
    console.log(
      `votes per decided image (seed left out): without model ${wo.votesPerImage.toFixed(2)}, with ` +
        `${w.votesPerImage.toFixed(2)} (${((1 - w.votesPerImage / wo.votesPerImage) * 100).toFixed(0)} % fewer): ` +
        `calibration set beyond the seed ${calibrationSet.votesPerImage.toFixed(2)}, the other images ` +
        `${later.votesPerImage.toFixed(2)} (${((1 - later.votesPerImage / wo.votesPerImage) * 100).toFixed(0)} % ` +
        `fewer); seed included: without ${woAll.votesPerImage.toFixed(2)}, with ${all.votesPerImage.toFixed(2)}; ` +
        `precision without ${wo.precision.toFixed(3)}, with ${w.precision.toFixed(3)}`,
    );
    expect(w.pending).toBe(0);
    expect(wo.pending).toBe(0);
    // The calibration set is decided on votes alone, as without a model: never on fewer than minVotes (2),
    // where a sure prior decides the other images on one agreeing vote.
    const decidedSet = set.filter((i) => i.decision === "verified" || i.decision === "rejected");
    expect(Math.min(...decidedSet.map((i) => i.yes + i.no))).toBeGreaterThanOrEqual(2);
    const oneVote = withRows.filter((i) => !i.calibration && i.decision !== "pending" && i.yes + i.no === 1);
    expect(oneVote.length).toBeGreaterThan(20);
    // Confident priors settle an image on one agreeing vote where the base rate needs two or more.
    expect(later.votesPerImage).toBeLessThan(0.75 * wo.votesPerImage);
    expect(w.votesPerImage).toBeLessThan(0.9 * wo.votesPerImage);
    expect(all.votesPerImage).toBeLessThan(woAll.votesPerImage);
    // The same rule and target: what the crowd decides is as right with the model as without it.
    expect(w.precision).toBeGreaterThanOrEqual(Math.min(0.95, wo.precision) - 0.03);
    expect(w.rejectedRight).toBeGreaterThanOrEqual(Math.min(0.95, wo.rejectedRight) - 0.03);

    const page = await getCampaign(t.db, withId);
    expect(page.model).toMatchObject({ id: modelId, ordering: "random", anchoring: null });
    expect(page.model?.calibrationSet).toMatchObject({
      size: 80,
      pending: 0,
      decided: set.filter((i) => i.decision === "verified" || i.decision === "rejected").length,
      votes: set.reduce((sum, i) => sum + i.yes + i.no, 0),
    });
    // 80 points: Platt (isotonic needs 100).
    expect(page.model?.calibration).toMatchObject({ kind: "platt", priorsInConsensus: true });
    const points = set.filter(
      (i) => i.modelScore !== null && (i.decision === "verified" || i.decision === "rejected"),
    ).length;
    expect(page.model?.calibration?.seedPoints).toBe(points);
    const curve = page.model?.calibration?.curve ?? [];
    expect(curve.reduce((sum, bin) => sum + bin.count, 0)).toBe(points);
    // Fewer than 5,000 decided images: every one replayed, so votesUsed is exactly what they got.
    expect(page.model?.votesSaved).toMatchObject({ items: w.decided, votesUsed: w.votes });
    const saved = page.model?.votesSaved;
    console.log(`votesSaved on the campaign page: ${JSON.stringify(saved)}`);
    expect(saved?.saved).toBeGreaterThan(0);
    expect(saved?.votesWithoutModel).toBe((saved?.votesUsed ?? 0) + (saved?.saved ?? 0));
    expect((await getCampaign(t.db, withoutId)).model).toBeNull();
    expect(await recountSynsetCounts(t.db)).toEqual([]);
  }, 180_000);

  it("keeps each image's best out-of-sample score, and sets priors and ordering keys once the seed is decided", async () => {
    const crowd = await freshPool(3);
    const { ids, truth } = await candidates(24, DOG);
    const [inSample, otherModel, outsideSubtree, twoClasses] = ids as [number, number, number, number];
    const scored = ids.slice(4, 22); // the last two have no prediction at all
    const modelId = await model(
      [PUG, CHIHUAHUA, CAT],
      [
        // A pug or a chihuahua is a dog: the model's score for a descendant is its score for dog.
        ...scored.map((imageId, i) => ({ imageId, wnid: PUG, score: goodScore(truth.get(imageId) ?? false, i) })),
        { imageId: twoClasses, wnid: PUG, score: 0.2 },
        { imageId: twoClasses, wnid: CHIHUAHUA, score: 0.7 },
        { imageId: inSample, wnid: PUG, score: 0.9, inTraining: true }, // trained on: left out
        { imageId: outsideSubtree, wnid: CAT, score: 0.9 }, // a cat score says nothing about dog
      ],
    );
    await model([PUG], [{ imageId: otherModel, wnid: PUG, score: 0.9 }]); // another model's
    const {
      ids: [campaignId],
    } = await createCampaigns(t.db, {
      wnid: DOG,
      policy: { seedSize: 12, seedVotes: 3, taskSize: 12, goldRate: 0, minVotes: 2, maxVotes: 3, target: 0.95 },
      model: { modelId, ordering: "likely_positive", autoAccept: true },
    });
    const id = campaignId as number;

    const before = await items(id);
    const score = new Map(before.map((i) => [i.imageId, i.modelScore]));
    expect([inSample, otherModel, outsideSubtree].map((i) => score.get(i))).toEqual([null, null, null]);
    expect(score.get(twoClasses)).toBeCloseTo(0.7, 6);
    expect(score.get(scored[0] as number)).toBeCloseTo(goodScore(true, 0), 6);
    expect(before.filter((i) => i.isSeed)).toHaveLength(12);
    // Half of 24 is 12, the seed's size: the calibration set is the seed, and calibration comes with the table.
    expect(before.filter((i) => i.calibration).map((i) => i.imageId)).toEqual(
      before.filter((i) => i.isSeed).map((i) => i.imageId),
    );
    // Before the seed is decided: no prior; the seeded random key, the seed's shifted first (SQL and the
    // JavaScript itemRandom agree on it).
    for (const item of before) {
      expect(item.prior).toBeNull();
      const key = itemRandom(id, item.imageId) - (item.isSeed ? SEED_SHIFT : 0);
      expect(item.priority).toBeCloseTo(key, 9);
    }

    await labelAll(crowd, truthful(truth), 1); // one round: each annotator's first task is the whole seed
    const campaign = await t.db.campaign.findUniqueOrThrow({ where: { id } });
    expect(campaign.confidenceTable).not.toBeNull();
    const calibration = campaign.calibration as unknown as StoredCalibration;
    expect(calibration.seedPoints).toBe(before.filter((i) => i.isSeed && i.modelScore !== null).length);
    const calibrator = calibration.calibrator as Calibrator;
    for (const item of await items(id)) {
      if (item.modelScore === null) {
        expect(item.prior).toBeNull();
        expect(item.priority).toBeCloseTo(itemRandom(id, item.imageId), 9);
        continue;
      }
      const prior = calibrate(calibrator, item.modelScore);
      expect(item.prior).toBeCloseTo(prior, 9);
      expect(item.priority).toBeCloseTo(orderingPriority("likely_positive", prior, itemRandom(id, item.imageId)), 9);
    }
    // Asked for auto-accept with a 12-image seed: off, and the page says why.
    expect(campaign.autoAccept).toBe(false);
    expect(campaign.autoAcceptOffReason).toMatch(/human-decided items; auto-accept needs at least 200/);
    expect((await getCampaign(t.db, id)).model?.autoAccept).toMatchObject({ on: false, autoAccepted: 0 });
  }, 60_000);

  it("hands out the most uncertain images first, in one walk of the priority index", async () => {
    const crowd = await freshPool(3);
    const { ids, truth } = await candidates(40, TOY_TERRIER);
    const modelId = await model(
      [TOY_TERRIER],
      ids.map((imageId, i) => ({ imageId, wnid: TOY_TERRIER, score: goodScore(truth.get(imageId) ?? false, i) })),
    );
    const {
      ids: [campaignId],
    } = await createCampaigns(t.db, {
      wnid: TOY_TERRIER,
      // calibrationSize below the seed: the calibration set is the seed, calibrated once the seed is decided.
      policy: {
        seedSize: 16,
        seedVotes: 3,
        taskSize: 16,
        goldRate: 0,
        minVotes: 2,
        maxVotes: 3,
        target: 0.95,
        calibrationSize: 1,
      },
      model: { modelId, ordering: "uncertain" },
    });
    const id = campaignId as number;
    await labelAll(crowd, truthful(truth), 1); // the seed, in one task each
    const pending = (await items(id)).filter((i) => i.decision === "pending" && !i.isSeed);
    expect(pending.length).toBe(24);
    const byUncertainty = [...pending].sort(
      (p, q) => Math.abs((p.prior as number) - 0.5) - Math.abs((q.prior as number) - 0.5),
    );
    const task = await nextTask(t.db, crowd[0] as number);
    const { imageIds } = await t.db.task.findUniqueOrThrow({ where: { id: task?.taskId }, select: { imageIds: true } });
    expect(new Set(imageIds)).toEqual(new Set(byUncertainty.slice(0, 16).map((i) => i.imageId)));
    // The least uncertain image handed out is more uncertain than any left behind.
    const handed = new Set(imageIds);
    const gap = (i: (typeof pending)[number]) => Math.abs((i.prior as number) - 0.5);
    expect(Math.max(...pending.filter((i) => handed.has(i.imageId)).map(gap))).toBeLessThanOrEqual(
      Math.min(...pending.filter((i) => !handed.has(i.imageId)).map(gap)),
    );

    // The query is an index walk in priority order that stops at the task's size: no sort of all images.
    // With this test's few dozen rows analysed (createCampaigns analyses its items), the planner rightly prefers a
    // scan and a sort; at 120,000 items it walks the index. Seq and bitmap scans off stand in for that size.
    const plan = await t.db.$transaction(async (tx) => {
      await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
      await tx.$executeRaw`SET LOCAL enable_bitmapscan = off`;
      const query = openItemsQuery({
        campaignId: id,
        synsetId: 0,
        annotatorId: crowd[1] as number,
        seeding: false,
        votesCap: 3,
        minVotes: 2,
        limit: 16,
        lock: "skip",
      });
      return tx.$queryRaw<{ "QUERY PLAN": string }[]>`EXPLAIN ${query}`;
    });
    const text = plan.map((row) => row["QUERY PLAN"]).join("\n");
    expect(text).toMatch(/Index Scan using campaign_item_campaign_id_decision_priority_idx/);
    expect(text).not.toMatch(/Sort/);
  }, 60_000);

  it("refuses an unknown model, one with no class for the synset, and bad options, creating nothing", async () => {
    await freshPool(0);
    await candidates(4, PUG);
    const catModel = await model([CAT], []);
    const before = await t.db.campaign.count();
    await expect(createCampaigns(t.db, { wnid: PUG, model: { modelId: 999_999 } })).rejects.toMatchObject({
      kind: "invalid",
      message: "no model 999999",
    });
    await expect(createCampaigns(t.db, { wnid: PUG, model: { modelId: catModel } })).rejects.toMatchObject({
      kind: "invalid",
      message: expect.stringMatching(new RegExp(`^model ${catModel} \\(m${CAT}\\) has no class at ${PUG} or below it`)),
    });
    await expect(
      createCampaigns(t.db, { wnid: PUG, model: { modelId: catModel, auditFraction: 0 } }),
    ).rejects.toMatchObject({
      kind: "invalid",
      message: expect.stringMatching(/^model\.auditFraction: /),
    });
    await expect(
      createCampaigns(t.db, { wnid: PUG, model: { modelId: catModel, ordering: "best" as "random" } }),
    ).rejects.toMatchObject({ kind: "invalid", message: expect.stringMatching(/^model\.ordering: /) });
    await expect(createCampaigns(t.db, { wnid: PUG, model: { modelId: 0 } })).rejects.toMatchObject({
      kind: "invalid",
      message: expect.stringMatching(/^model\.modelId: model id must be a whole number/),
    });
    await expect(
      createCampaigns(t.db, { wnid: PUG, policy: { minVotes: 2, minVotesWithPrior: 3 }, model: { modelId: catModel } }),
    ).rejects.toMatchObject({
      kind: "invalid",
      message: expect.stringMatching(
        /^policy\.minVotesWithPrior: minVotesWithPrior \(3\) must be at most minVotes \(2\)/,
      ),
    });
    for (const calibrationSize of [0, -5, 2.5]) {
      await expect(
        createCampaigns(t.db, { wnid: PUG, policy: { calibrationSize }, model: { modelId: catModel } }),
      ).rejects.toMatchObject({ kind: "invalid", message: expect.stringMatching(/^policy\.calibrationSize: /) });
    }
    expect(await t.db.campaign.count()).toBe(before);

    // With subtree, a synset below that the model has no class for gets a campaign without it.
    const pugModel = await model([PUG], []);
    await candidates(2, CHIHUAHUA);
    const { ids } = await createCampaigns(t.db, { wnid: DOG, subtree: true, model: { modelId: pugModel } });
    const made = await t.db.campaign.findMany({ where: { id: { in: ids } }, include: { synset: true } });
    expect(made.find((c) => c.synset.wnid === PUG)?.modelId).toBe(pugModel);
    expect(made.find((c) => c.synset.wnid === CHIHUAHUA)?.modelId).toBeNull();
  });
});

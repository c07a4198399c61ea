import { type Calibrator, calibrate, mulberry32, orderingPriority } from "@arbor/core";
import { useTestDatabase } from "@arbor/db/testing";
import { describe, expect, it } from "vitest";
import { sendBackForVotes } from "../candidates/send-back-for-votes.ts";
import { applyNewLinkCounts } from "../image-links/apply-new-link-counts.ts";
import { recountSynsetCounts } from "../image-links/recount-synset-counts.ts";
import { OPERATOR } from "../restrictions/viewer.ts";
import type { StoredCalibration } from "./calibrate-campaign.ts";
import { createCampaigns } from "./create-campaign.ts";
import { getCampaign } from "./get-campaign.ts";
import { itemRandom, SEED_SHIFT } from "./item-random.ts";
import { nextTask, openItemsQuery } from "./next-task.ts";
import { requestTask } from "./request-task.ts";
import { overrideDecision } from "./review-queue.ts";
import { submitAnswers } from "./submit-answers.ts";

const DOG = "n02084071";
const CHIHUAHUA = "n02085620";
const SHIH_TZU = "n02086240";
const PUG = "n02110958";
const MALTESE = "n02085936";
const PEKINESE = "n02086079";
const PAPILLON = "n02086910";
const TOY_TERRIER = "n02087046";
const BEAGLE = "n02088364";
const CAT = "n02121808";
const AFGHAN = "n02088094";
const BASSET = "n02088238";
const BLUETICK = "n02088632";

/** How annotator `who` (their index in the crowd) answers "does image `imageId` show the synset?". */
type Answer = (who: number, imageId: number) => boolean;

describe("campaigns driven by a model (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");
  let images = 0;
  let people = 0;

  /** `n` images linked to `wnid` in `state`; image i is really of the synset when `truth(i)`. */
  async function linked(n: number, wnid: string, state: "candidate" | "verified" = "candidate") {
    const synset = await t.db.synset.findUniqueOrThrow({ where: { wnid } });
    const rows = await t.db.image.createManyAndReturn({
      data: Array.from({ length: n }, () => {
        const k = ++images;
        return {
          sha256: `pre${k}`.padStart(64, "c"),
          phash: BigInt(k),
          ...{ phashBand0: k, phashBand1: 0, phashBand2: 0, phashBand3: 0 },
          ...{ width: 10, height: 10, format: "jpeg", bytes: 1, originalKey: "o", thumbnailKey: "t" },
          ...{ thumbnailWidth: 10, thumbnailHeight: 10 },
        };
      }),
      select: { id: true },
    });
    const ids = rows.map((r) => r.id).sort((a, b) => a - b);
    await t.db.$transaction(async (tx) => {
      const links = ids.map((imageId) => ({ imageId, synsetId: synset.id, state }));
      await tx.imageLink.createMany({ data: links });
      await applyNewLinkCounts(tx, links);
    });
    return ids;
  }

  /** Candidates for `wnid`: even positions show it. */
  async function candidates(n: number, wnid: string): Promise<{ ids: number[]; truth: Map<number, boolean> }> {
    const ids = await linked(n, wnid);
    return { ids, truth: new Map(ids.map((id, i) => [id, i % 2 === 0])) };
  }

  /** A model with these classes and out-of-sample scores (or in-sample ones, `inTraining`). */
  async function model(
    classes: string[],
    predictions: { imageId: number; wnid: string; score: number; inTraining?: boolean }[],
  ): Promise<number> {
    const { id } = await t.db.model.create({ data: { name: `m${classes.join("-")}`, architecture: "test", classes } });
    const synsets = new Map(
      (await t.db.synset.findMany({ where: { wnid: { in: predictions.map((p) => p.wnid) } } })).map((s) => [
        s.wnid,
        s.id,
      ]),
    );
    await t.db.prediction.createMany({
      data: predictions.map((p) => ({
        modelId: id,
        imageId: p.imageId,
        synsetId: synsets.get(p.wnid) as number,
        score: p.score,
        inTraining: p.inTraining ?? false,
      })),
    });
    return id;
  }

  /**
   * A good model, not a perfect one: score σ(±2 + 1.2 z), z standard normal (Box–Muller), + for a positive
   * (AUC = Φ(4 / (1.2 √2)) ≈ 0.99), each image's draw fixed by its position.
   */
  const goodScore = (positive: boolean, position: number) => {
    const rng = mulberry32(position + 1);
    const z = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    return 1 / (1 + Math.exp(-((positive ? 2 : -2) + 1.2 * z)));
  };

  /** A fresh pool of `n` annotators: everyone before blocked, every campaign before paused. */
  async function freshPool(n: number): Promise<number[]> {
    await t.db.user.updateMany({ data: { blocked: true } });
    await t.db.campaign.updateMany({ where: { status: "active" }, data: { status: "paused" } });
    const crowd: number[] = [];
    for (let i = 0; i < n; i++) {
      const user = await t.db.user.create({
        data: { email: `pre${++people}@x.org`, passwordHash: "unused", roles: ["annotator"] },
      });
      crowd.push(user.id);
    }
    return crowd;
  }

  /** The crowd in turn, each asking for a task and answering it, until a whole round gets none (or `rounds`). */
  async function labelAll(crowd: number[], answer: Answer, rounds?: number): Promise<void> {
    for (let round = 0; round < (rounds ?? 400); round++) {
      let worked = false;
      for (const [who, annotatorId] of crowd.entries()) {
        const request = await requestTask(t.db, annotatorId);
        if (!request.task) continue;
        worked = true;
        const { imageIds } = await t.db.task.findUniqueOrThrow({
          where: { id: request.task.taskId },
          select: { imageIds: true },
        });
        const positive = request.task.images
          .filter((image) => answer(who, imageIds[image.handle] as number))
          .map((image) => image.handle);
        await submitAnswers(t.db, annotatorId, request.task.taskId, positive);
      }
      if (!worked) return;
    }
    if (rounds === undefined) throw new Error("the crowd never ran out of tasks");
  }

  /**
   * One annotator asks for a task and answers it; the campaign images it showed (gold left out), or null when
   * there was no task for them.
   */
  async function answerOne(annotatorId: number, answer: (imageId: number) => boolean): Promise<number[] | null> {
    const request = await requestTask(t.db, annotatorId);
    if (!request.task) return null;
    const { imageIds, gold } = await t.db.task.findUniqueOrThrow({
      where: { id: request.task.taskId },
      select: { imageIds: true, gold: true },
    });
    const positive = request.task.images
      .filter((image) => answer(imageIds[image.handle] as number))
      .map((image) => image.handle);
    await submitAnswers(t.db, annotatorId, request.task.taskId, positive);
    return imageIds.filter((imageId) => !(String(imageId) in (gold as Record<string, boolean>)));
  }

  /** Right with probability 0.85, each (annotator, image position) drawn once: the same votes in any campaign. */
  const noisy =
    (truth: Map<number, boolean>, ids: number[]): Answer =>
    (who, imageId) => {
      const position = ids.indexOf(imageId);
      const right = mulberry32(7919 * (who + 1) + 104_729 * (position + 1))() < 0.85;
      return right === (truth.get(imageId) ?? false);
    };
  const truthful =
    (truth: Map<number, boolean>): Answer =>
    (_, imageId) =>
      truth.get(imageId) ?? false;

  const items = (campaignId: number) =>
    t.db.campaignItem.findMany({ where: { campaignId }, orderBy: { imageId: "asc" } });

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

  /**
   * 480 images: a 40-image seed and a 240-image calibration set (the seed among them; at least 200 human
   * decisions are needed for a threshold), 240 more; a separable model (positives score above 0.55, negatives
   * below 0.45). Three truthful annotators.
   */
  async function autoAcceptCampaign(wnid: string, auditFraction: number) {
    const crowd = await freshPool(3);
    const { ids, truth } = await candidates(480, wnid);
    const scoreOf = (i: number, positive: boolean) => {
      const u = mulberry32(i + 11)();
      return positive ? 0.55 + 0.45 * u : 0.45 * u;
    };
    const modelId = await model(
      [wnid],
      ids.map((imageId, i) => ({ imageId, wnid, score: scoreOf(i, truth.get(imageId) ?? false) })),
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

  /** Scores of a separable model: positives above 0.55, negatives below 0.45, each image's draw fixed by i. */
  const separable = (i: number, positive: boolean) => {
    const u = mulberry32(i + 11)();
    return positive ? 0.55 + 0.45 * u : 0.45 * u;
  };

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

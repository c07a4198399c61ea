import { annotatorWeight, type ConfidenceTable, estimateAccuracy, mulberry32 } from "@arbor/core";
import type { Db } from "@arbor/db";
import { useTestDatabase } from "@arbor/db/testing";
import { describe, expect, it } from "vitest";
import { createUser } from "../auth/create-user.ts";
import type { Principal } from "../auth/user-schemas.ts";
import { applyNewLinkCounts } from "../image-links/apply-new-link-counts.ts";
import { recountSynsetCounts } from "../image-links/recount-synset-counts.ts";
import { getAnnotatorPool } from "./annotator-pool.ts";
import { createCampaigns } from "./create-campaign.ts";
import { getCampaign } from "./get-campaign.ts";
import { setAnnotatorBlocked } from "./list-annotators.ts";
import type { IdleReason } from "./pool-schemas.ts";
import { requestTask } from "./request-task.ts";
import { listReviewQueue } from "./review-queue.ts";
import { submitAnswers } from "./submit-answers.ts";

/** Strong enough for createUser's password check. */
const PASSWORD = "quokka-lantern-umber-71";

/** How an annotator answers "does image `id` show the synset?", knowing how many votes it has so far. */
type Answer = (imageId: number, votesSoFar: number) => boolean;

/**
 * A hand-made confidence table, P(positive) = σ(slope · (y − n)), in units of a vote of an annotator nobody
 * has measured yet (what the crowd here is), as a seed might give.
 */
function logisticTable(slope: number): ConfidenceTable {
  const size = 20;
  const p = Array.from({ length: size + 1 }, (_, y) =>
    Array.from({ length: size - y + 1 }, (_, n) => 1 / (1 + Math.exp(-slope * (y - n)))),
  );
  const unitWeight = annotatorWeight({ accuracy: estimateAccuracy(0, 0) });
  return { maxVotes: 10, p, seedImages: 30, positiveRate: 0.5, unitWeight };
}

/** Yes, no, yes, no…: whoever votes, the votes never lean more than one way, so no count settles them. */
const alternate = (_: number, votesSoFar: number) => votesSoFar % 2 === 0;

describe("the annotator pool rule (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");
  let batch = 0;

  /** A fresh pool: everyone from earlier tests blocked and their campaigns paused, then `n` new annotators. */
  async function freshPool(n: number): Promise<Principal[]> {
    await t.db.user.updateMany({ data: { blocked: true } });
    await t.db.campaign.updateMany({ where: { status: "active" }, data: { status: "paused" } });
    batch++;
    const crowd: Principal[] = [];
    // One after the other: password hashing refuses a crowd arriving all at once on a small machine.
    for (let i = 0; i < n; i++) crowd.push(await annotator(t.db, `p${batch}-${i}`));
    return crowd;
  }

  async function annotator(db: Db, name: string): Promise<Principal> {
    return createUser(db, { email: `${name}@x.org`, password: PASSWORD, roles: ["annotator"] });
  }

  /** `n` candidate images for a synset; even ones are really of it. */
  async function candidates(n: number, wnid: string): Promise<{ ids: number[]; truth: Map<number, boolean> }> {
    const synset = await t.db.synset.findUniqueOrThrow({ where: { wnid } });
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const image = await t.db.image.create({
        data: {
          sha256: `${wnid}${i}`.padStart(64, "b").slice(-64),
          phash: BigInt(i),
          ...{ phashBand0: i, phashBand1: 0, phashBand2: 0, phashBand3: 0 },
          ...{ width: 10, height: 10, format: "jpeg", bytes: 1, originalKey: "o", thumbnailKey: "t" },
          ...{ thumbnailWidth: 10, thumbnailHeight: 10 },
        },
      });
      ids.push(image.id);
    }
    await t.db.$transaction(async (tx) => {
      const links = ids.map((imageId) => ({ imageId, synsetId: synset.id, state: "candidate" as const }));
      await tx.imageLink.createMany({ data: links });
      await applyNewLinkCounts(tx, links);
    });
    return { ids, truth: new Map(ids.map((id, i) => [id, i % 2 === 0])) };
  }

  /** One request and, when a task comes, its answers. The idle reason when none came. */
  async function work(who: Principal, answer: Answer): Promise<IdleReason | null> {
    const request = await requestTask(t.db, who.id);
    if (!request.task) return request.idle;
    // A task names its images by handle (their position in it); the test knows what is behind them.
    const { taskId } = request.task;
    const { imageIds } = await t.db.task.findUniqueOrThrow({ where: { id: taskId }, select: { imageIds: true } });
    const counts = new Map(
      (await t.db.campaignItem.findMany({ where: { imageId: { in: imageIds } } })).map((i) => [
        i.imageId,
        i.yes + i.no,
      ]),
    );
    const positive = request.task.images
      .map((image) => image.handle)
      .filter((handle) => {
        const image = imageIds[handle] as number;
        return answer(image, counts.get(image) ?? 0);
      });
    await submitAnswers(t.db, who.id, taskId, positive);
    return null;
  }

  /** Works until the annotator gets nothing; the reason they are given then. */
  async function untilIdle(who: Principal, answer: Answer): Promise<IdleReason> {
    for (let tasks = 0; tasks < 200; tasks++) {
      const idle = await work(who, answer);
      if (idle) return idle;
    }
    throw new Error("never idle");
  }

  /** Everyone in turn until a whole round hands out nothing; each one's last reason. */
  async function toTheEnd(crowd: Principal[], answers: Answer[]): Promise<IdleReason[]> {
    for (let round = 0; round < 200; round++) {
      const reasons = [];
      for (const [i, who] of crowd.entries()) reasons.push(await work(who, answers[i] as Answer));
      if (reasons.every((r) => r !== null)) return reasons as IdleReason[];
    }
    throw new Error("the campaign never ended");
  }

  it("lets six annotators finish a campaign with the default policy (seedVotes 10, maxVotes 10)", async () => {
    const crowd = await freshPool(6);
    const { ids, truth } = await candidates(60, "n02084071"); // dog
    // Five truthful annotators and one who answers at random, except on six hard images that split everyone.
    const hard = new Set(ids.filter((id) => !truth.get(id)).slice(0, 6));
    const random = mulberry32(7);
    const answers: Answer[] = crowd.map((_, i) => (id, votesSoFar) => {
      if (hard.has(id)) return alternate(id, votesSoFar);
      return i === 5 ? random() < 0.5 : (truth.get(id) ?? false);
    });
    const {
      ids: [campaignId],
    } = await createCampaigns(t.db, { wnid: "n02084071" }); // the default policy
    const id = campaignId as number;

    const before = await getCampaign(t.db, id);
    expect(before.pool).toMatchObject({ annotators: 6, active: 0, needs: { seed: 10, rest: 10 }, seedVotes: 6 });
    expect(before.pool.maxVotes).toBe(6);
    expect(before.state.code).toBe("seeding");
    expect(before.pool.notes.join(" ")).toMatch(/asks 10 votes per seed image but there are 6 annotators/);

    // The first annotator votes on every seed image; the rest wait for the seed, which needs the others.
    expect(await untilIdle(crowd[0] as Principal, answers[0] as Answer)).toBe("waiting-for-others");
    const seeding = await getCampaign(t.db, id);
    expect(seeding.seed).toMatchObject({ size: 30, complete: false, collected: 0 });
    expect(seeding.pool.active).toBe(1);

    // Everyone else completes the seed (three tasks each) with six votes per image, not ten: the table is built.
    for (const [i, who] of crowd.slice(1).entries()) {
      for (let tasks = 0; tasks < 3; tasks++) await work(who, answers[i + 1] as Answer);
    }
    const seeded = await getCampaign(t.db, id);
    expect(seeded.seed).toMatchObject({ complete: true, collected: 30 });
    expect(seeded.state.code).toBe("labelling");

    // The first annotator votes once on everything left; then nothing is left for them.
    expect(await untilIdle(crowd[0] as Principal, answers[0] as Answer)).toBe("voted-all");

    const reasons = await toTheEnd(crowd, answers);
    expect(reasons).toEqual(Array(6).fill("no-campaigns"));
    const items = await t.db.campaignItem.findMany({ where: { campaignId: id } });
    expect(items.filter((i) => i.decision === "pending")).toEqual([]);
    for (const item of items) expect(item.yes + item.no).toBeLessThanOrEqual(6);
    // Precision is kept: whatever the crowd decided is right; the hard images went to review.
    for (const item of items.filter((i) => i.decision === "verified" || i.decision === "rejected")) {
      expect(item.decision).toBe(truth.get(item.imageId) ? "verified" : "rejected");
    }
    const review = new Set((await listReviewQueue(t.db, id)).map((r) => r.imageId));
    for (const image of hard) expect(review.has(image)).toBe(true);
    const done = await getCampaign(t.db, id);
    expect(done.status).toBe("done");
    expect(done.state).toMatchObject({ code: "done", fix: null });
    expect(done.state.message).toMatch(/wait in the review queue/);
    expect(done.items.pending).toBe(0);
    expect(await recountSynsetCounts(t.db)).toEqual([]);
  }, 120_000);

  it("blocks a seed that fewer than three annotators cannot complete, says so, and goes on once one is added", async () => {
    const crowd = await freshPool(2);
    const { truth } = await candidates(8, "n02121808"); // domestic cat
    const answer: Answer = (id) => truth.get(id) ?? false;
    const {
      ids: [campaignId],
    } = await createCampaigns(t.db, {
      wnid: "n02121808",
      policy: { seedSize: 4, taskSize: 4, goldRate: 0, maxVotes: 4, target: 0.9, minVotes: 2 },
    });
    const id = campaignId as number;
    for (const who of crowd) expect(await untilIdle(who, answer)).toBe("campaign-blocked");
    const blocked = await getCampaign(t.db, id);
    expect(blocked.state).toEqual({
      code: "blocked",
      message:
        "Blocked: the seed set needs 3 distinct annotators and there are 2 (the policy asks 10 votes per seed " +
        "image; it is lowered to the pool, but never below 3).",
      fix: "Add 1 annotator (users with the annotator role), or unblock some.",
    });
    expect(blocked.seed).toMatchObject({ size: 4, complete: false, collected: 0 });

    const third = await annotator(t.db, "third");
    const reasons = await toTheEnd([...crowd, third], [answer, answer, answer]);
    expect(reasons).toEqual(["no-campaigns", "no-campaigns", "no-campaigns"]);
    const done = await getCampaign(t.db, id);
    expect(done.seed.complete).toBe(true);
    expect(done.items.pending).toBe(0);
    const seed = await t.db.campaignItem.findMany({ where: { campaignId: id, isSeed: true } });
    expect(seed.map((item) => item.yes + item.no)).toEqual([3, 3, 3, 3]);
  }, 60_000);

  it("builds the table of a seed the pool completes once it shrinks, and goes on", async () => {
    const [a, b, c, d, e] = (await freshPool(5)) as [Principal, Principal, Principal, Principal, Principal];
    const { truth } = await candidates(10, "n02123045"); // tabby
    const {
      ids: [campaignId],
    } = await createCampaigns(t.db, {
      wnid: "n02123045",
      policy: { seedSize: 4, seedVotes: 5, taskSize: 10, goldRate: 0, maxVotes: 10 },
    });
    const id = campaignId as number;
    const truthful: Answer = (image) => truth.get(image) ?? false;
    // Four of the five vote on the seed; the fifth never comes, and the seed waits for them.
    for (const who of [a, b, c, d]) await work(who, truthful);
    expect((await getCampaign(t.db, id)).seed).toMatchObject({ complete: false, collected: 0 });
    expect(await work(a, truthful)).toBe("waiting-for-others");

    // Blocking the fifth shrinks the pool to four: the seed is complete for it, and tasks/next goes on.
    await setAnnotatorBlocked(t.db, e.id, true);
    expect(await work(a, truthful)).toBeNull(); // a task came (and was answered)
    const campaign = await getCampaign(t.db, id);
    expect(campaign.seed).toMatchObject({ complete: true, collected: 4 });
    expect(campaign.pool).toMatchObject({ annotators: 4, seedVotes: 4 });
    await toTheEnd([a, b, c, d], [truthful, truthful, truthful, truthful]);
    expect((await getCampaign(t.db, id)).items.pending).toBe(0);
  }, 60_000);

  it("sends to review, at the answer, an image that needs more votes than the pool can give", async () => {
    const crowd = await freshPool(3);
    await candidates(4, "n02123394"); // Persian cat
    const {
      ids: [campaignId],
    } = await createCampaigns(t.db, {
      wnid: "n02123394",
      policy: { seedSize: 1, seedVotes: 3, taskSize: 4, goldRate: 0, maxVotes: 10, minVotes: 2, target: 0.99 },
    });
    const id = campaignId as number;
    // Two net yes votes clear 0.99: under maxVotes 10 a split image could still be settled, but not by three
    // annotators who split (yes, no, then at best one more yes). Before, it stayed pending for ever.
    await t.db.campaign.update({ where: { id }, data: { confidenceTable: logisticTable(2.5) as object } });
    const reasons = await toTheEnd(crowd, [alternate, alternate, alternate]);
    expect(reasons).toEqual(["no-campaigns", "no-campaigns", "no-campaigns"]);
    const items = await t.db.campaignItem.findMany({ where: { campaignId: id } });
    expect(items.map((i) => i.decision)).toEqual(["ambiguous", "ambiguous", "ambiguous", "ambiguous"]);
    for (const item of items) expect(item.yes + item.no).toBeLessThanOrEqual(3);
  }, 60_000);

  it("decides as ambiguous the images nobody left can vote on once the pool shrinks", async () => {
    const [a, b, c, d] = (await freshPool(4)) as [Principal, Principal, Principal, Principal];
    await candidates(6, "n02123159"); // tiger cat
    const {
      ids: [campaignId],
    } = await createCampaigns(t.db, {
      wnid: "n02123159",
      policy: { seedSize: 1, seedVotes: 3, taskSize: 6, goldRate: 0, maxVotes: 10, minVotes: 2, target: 0.99 },
    });
    const id = campaignId as number;
    await t.db.campaign.update({ where: { id }, data: { confidenceTable: logisticTable(2.5) as object } });
    // Yes, no, yes: one vote more could settle each image (two net yes clear 0.99), and only d can give it.
    for (const who of [a, b, c]) expect(await untilIdle(who, alternate)).toBe("voted-all");
    const waiting = await t.db.campaignItem.count({ where: { campaignId: id, decision: "pending" } });
    expect(waiting).toBe(6);
    expect((await getCampaign(t.db, id)).items.pending).toBe(6);

    // d is blocked: nobody left can vote on them. Reading the campaign applies the rule: all go to review.
    await setAnnotatorBlocked(t.db, d.id, true);
    const settled = await getCampaign(t.db, id);
    expect(settled.items).toMatchObject({ pending: 0, ambiguous: 6 });
    expect(settled.status).toBe("done");
    expect(await listReviewQueue(t.db, id)).toHaveLength(6);
    expect(await requestTask(t.db, a.id)).toEqual({ task: null, idle: "no-campaigns" });
  }, 60_000);

  it("asks seed images still undecided once the table exists for more votes, like the others", async () => {
    const crowd = await freshPool(6);
    const { truth } = await candidates(6, "n02124075"); // Egyptian cat
    const {
      ids: [campaignId],
    } = await createCampaigns(t.db, {
      wnid: "n02124075",
      policy: { seedSize: 4, seedVotes: 3, taskSize: 6, goldRate: 0, maxVotes: 6, minVotes: 2, target: 0.99 },
    });
    const id = campaignId as number;
    // A table as a seed of three votes each might give: four net votes clear 0.99, three do not. Seed images
    // then need more votes than the seed gave them (before, they were never asked again: pending for ever).
    await t.db.campaign.update({ where: { id }, data: { confidenceTable: logisticTable(1.5) as object } });
    await toTheEnd(
      crowd,
      crowd.map(() => (image: number) => truth.get(image) ?? false),
    );
    const items = await t.db.campaignItem.findMany({ where: { campaignId: id } });
    expect(items.filter((i) => i.decision === "pending")).toEqual([]);
    for (const item of items) {
      expect(item.decision).toBe(truth.get(item.imageId) ? "verified" : "rejected");
      expect(item.yes + item.no).toBe(4);
    }
  }, 60_000);

  it("counts the pool: unblocked annotators, and those who held a task in the last seven days", async () => {
    await freshPool(3);
    const pool = await getAnnotatorPool(t.db);
    expect(pool).toEqual({ annotators: 3, active: 0, activeDays: 7 });
    await createUser(t.db, { email: "admin-only@x.org", password: PASSWORD, roles: ["admin"] });
    expect((await getAnnotatorPool(t.db)).annotators).toBe(3);
  });
});

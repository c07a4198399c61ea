import { createDb, type Db } from "@arbor/db";
import { useTestDatabase } from "@arbor/db/testing";
import { describe, expect, it } from "vitest";
import { createUser } from "../auth/create-user.ts";
import { authenticate, signIn } from "../auth/sessions.ts";
import type { Principal } from "../auth/user-schemas.ts";
import { applyNewLinkCounts } from "../image-links/apply-new-link-counts.ts";
import { recountSynsetCounts } from "../image-links/recount-synset-counts.ts";
import { createCampaigns } from "./create-campaign.ts";
import { getCampaign, listCampaigns } from "./get-campaign.ts";
import { listAnnotators, setAnnotatorBlocked } from "./list-annotators.ts";
import { nextTask } from "./next-task.ts";
import { listReviewQueue, overrideDecision } from "./review-queue.ts";
import { submitAnswers } from "./submit-answers.ts";
import type { TaskView } from "./task-schemas.ts";

/**
 * The handles of a task's images that show the synset by `truth` (image id → positive): a truthful annotator.
 * The payload names no image, so the harness looks the task's images up in the database.
 */
async function truthfulAnswer(db: Db, task: TaskView, truth: Map<number, boolean>): Promise<number[]> {
  const { imageIds } = await db.task.findUniqueOrThrow({ where: { id: task.taskId }, select: { imageIds: true } });
  return task.images.filter((image) => truth.get(imageIds[image.handle] as number)).map((image) => image.handle);
}

/** Strong enough for createUser's password check (zxcvbn score ≥ 3). */
const PASSWORD = "quokka-lantern-umber-71";
const DOG = "n02084071";

/**
 * Annotators one after the other: password hashing admits a few at once per core and refuses the rest
 * (`rate-limited`), so a crowd created all at once would be refused on a small machine.
 */
async function createAnnotators(db: Db, prefix: string, n: number): Promise<Principal[]> {
  const crowd: Principal[] = [];
  for (let i = 0; i < n; i++) {
    crowd.push(await createUser(db, { email: `${prefix}${i}@x.org`, password: PASSWORD, roles: ["annotator"] }));
  }
  return crowd;
}
const CHIHUAHUA = "n02085620";
const CAT = "n02121808";

describe("labelling a campaign (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");

  /** Candidate images for dog; even ids are really dogs (the crowd below answers truthfully). */
  async function candidates(n: number, wnid = DOG): Promise<{ ids: number[]; truth: Map<number, boolean> }> {
    const dog = await t.db.synset.findUniqueOrThrow({ where: { wnid } });
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const image = await t.db.image.create({
        data: {
          sha256: `${Date.now().toString(16)}${i}`.padStart(64, "a").slice(-64),
          phash: BigInt(i),
          ...{ phashBand0: i, phashBand1: 0, phashBand2: 0, phashBand3: 0 },
          ...{ width: 10, height: 10, format: "jpeg", bytes: 1, originalKey: "o", thumbnailKey: "t" },
          ...{ thumbnailWidth: 10, thumbnailHeight: 10 },
        },
      });
      ids.push(image.id);
    }
    await t.db.$transaction(async (tx) => {
      const links = ids.map((imageId) => ({ imageId, synsetId: dog.id, state: "candidate" as const }));
      await tx.imageLink.createMany({ data: links });
      await applyNewLinkCounts(tx, links);
    });
    return { ids, truth: new Map(ids.map((id, i) => [id, i % 2 === 0])) };
  }

  it("leases, records and decides: a truthful crowd verifies the dogs and rejects the rest", async () => {
    const { ids, truth } = await candidates(12);
    const annotators = await Promise.all(
      [1, 2, 3, 4].map((i) => createUser(t.db, { email: `a${i}@x.org`, password: PASSWORD, roles: ["annotator"] })),
    );
    const { ids: campaigns } = await createCampaigns(t.db, {
      wnid: DOG,
      policy: { seedSize: 4, seedVotes: 3, taskSize: 4, goldRate: 0, minVotes: 2, maxVotes: 4, target: 0.95 },
    });
    expect(campaigns).toHaveLength(1);

    // Everyone works until nothing is left for anyone.
    for (let round = 0; round < 50; round++) {
      const tasks = await Promise.all(annotators.map((a) => nextTask(t.db, a.id)));
      if (tasks.every((task) => task === null)) break;
      for (const [i, task] of tasks.entries()) {
        if (!task) continue;
        // Images are named by their handle in the task (0, 1, …), never by a global image id.
        expect(task.images.map((img) => img.handle)).toEqual([...task.images.keys()]);
        const positive = await truthfulAnswer(t.db, task, truth);
        await submitAnswers(t.db, annotators[i]?.id as number, task.taskId, positive);
      }
    }

    const items = await t.db.campaignItem.findMany({ where: { campaignId: campaigns[0] } });
    expect(items.filter((i) => i.decision === "pending")).toEqual([]);
    for (const item of items) {
      if (item.decision === "ambiguous") continue;
      expect(item.decision).toBe(truth.get(item.imageId) ? "verified" : "rejected");
    }
    expect(items.filter((i) => i.decision !== "ambiguous").length).toBeGreaterThanOrEqual(10);
    // Seed images got seedVotes votes; the others stopped as soon as the table was sure enough.
    for (const item of items) expect(item.yes + item.no).toBeLessThanOrEqual(item.isSeed ? 4 : 4);
    const campaign = await t.db.campaign.findUniqueOrThrow({ where: { id: campaigns[0] } });
    expect(campaign.confidenceTable).not.toBeNull();
    const links = await t.db.imageLink.findMany({ where: { imageId: { in: ids } } });
    expect(links.filter((l) => l.state === "verified").every((l) => truth.get(l.imageId))).toBe(true);
    expect(await recountSynsetCounts(t.db)).toEqual([]);
    expect(
      await t.db.vote.groupBy({ by: ["annotatorId", "imageId"], having: { imageId: { _count: { gt: 1 } } } }),
    ).toEqual([]);
  });

  it("refuses someone else's task and an expired lease, and records a double submit once", async () => {
    await candidates(4, CHIHUAHUA);
    await createCampaigns(t.db, { wnid: CHIHUAHUA, policy: { seedSize: 4, seedVotes: 3, taskSize: 2, goldRate: 0 } });
    const [a, b] = await Promise.all(
      ["b1", "b2"].map((n) => createUser(t.db, { email: `${n}@x.org`, password: PASSWORD, roles: ["annotator"] })),
    );
    const task = await nextTask(t.db, a?.id as number);
    expect(task).not.toBeNull();
    const taskId = task?.taskId as string;
    await expect(submitAnswers(t.db, b?.id as number, taskId, [])).rejects.toMatchObject({
      kind: "forbidden",
    });
    await expect(submitAnswers(t.db, a?.id as number, taskId, [2, 999_999])).rejects.toMatchObject({
      kind: "invalid",
      message: "handles 2, 999999 are not in this task (its images are 0 to 1)",
    });
    const first = await submitAnswers(t.db, a?.id as number, taskId, []);
    const second = await submitAnswers(t.db, a?.id as number, taskId, []);
    expect(first).toMatchObject({ alreadySubmitted: false, recorded: 2 });
    expect(second).toMatchObject({ alreadySubmitted: true, recorded: 0 });
    expect(await t.db.vote.count({ where: { taskId } })).toBe(2);

    const expiring = await nextTask(t.db, b?.id as number);
    await t.db.task.update({ where: { id: expiring?.taskId }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } });
    await expect(submitAnswers(t.db, b?.id as number, expiring?.taskId as string, [])).rejects.toMatchObject({
      kind: "conflict",
    });
    const unknown = "00000000-0000-4000-8000-000000000000";
    await expect(submitAnswers(t.db, a?.id as number, unknown, [])).rejects.toMatchObject({
      kind: "not-found",
      message: `no task ${unknown}`,
    });
  });

  it("accepts without asking a candidate already verified for a synset below", async () => {
    const { ids } = await candidates(2, "n02110958"); // pug candidates…
    const pug = await t.db.synset.findUniqueOrThrow({ where: { wnid: "n02110958" } });
    const dog = await t.db.synset.findUniqueOrThrow({ where: { wnid: DOG } });
    // …and the first of them already verified as a pug, now a candidate for dog
    await t.db.$transaction(async (tx) => {
      await tx.imageLink.update({
        where: { imageId_synsetId: { imageId: ids[0] as number, synsetId: pug.id } },
        data: { state: "verified" },
      });
      await tx.imageLink.create({ data: { imageId: ids[0] as number, synsetId: dog.id, state: "candidate" } });
    });
    await recountSynsetCounts(t.db, { repair: true });
    await t.db.campaign.updateMany({ data: { status: "paused" } });
    const { ids: campaigns } = await createCampaigns(t.db, { wnid: DOG, policy: { seedSize: 2, seedVotes: 3 } });
    const link = await t.db.imageLink.findUniqueOrThrow({
      where: { imageId_synsetId: { imageId: ids[0] as number, synsetId: dog.id } },
    });
    expect(link.state).toBe("verified");
    const items = await t.db.campaignItem.findMany({ where: { campaignId: campaigns[0] } });
    expect(items.map((i) => i.imageId)).not.toContain(ids[0]);
    expect(await recountSynsetCounts(t.db)).toEqual([]);
  });

  it("never hands the same vote slot to two annotators at once", async () => {
    await t.db.campaign.updateMany({ data: { status: "paused" } }); // only this test's campaign is open
    await candidates(3, CAT);
    const { ids } = await createCampaigns(t.db, {
      wnid: CAT,
      policy: { seedSize: 3, seedVotes: 3, taskSize: 3, goldRate: 0 },
    });
    const crowd = await createAnnotators(t.db, "c", 6);
    await Promise.all(crowd.map((a) => nextTask(t.db, a.id)));
    const items = await t.db.campaignItem.findMany({ where: { campaignId: ids[0] } });
    for (const item of items) expect(item.leased).toBeLessThanOrEqual(3); // seedVotes
    expect(items.reduce((sum, i) => sum + i.leased, 0)).toBe(9);
  });

  it("lets a concurrent crowd finish a campaign with every vote recorded exactly once", async () => {
    await t.db.campaign.updateMany({ data: { status: "paused" } });
    const { truth } = await candidates(40, "n02123045"); // tabby
    const { ids } = await createCampaigns(t.db, {
      wnid: "n02123045",
      policy: { seedSize: 20, seedVotes: 5, taskSize: 8, goldRate: 0, minVotes: 1, maxVotes: 4, target: 0.9 },
    });
    const crowd = await createAnnotators(t.db, "d", 12);
    const db = createDb(t.url, 16); // enough connections for the crowd to really run at once
    let sent = 0;
    try {
      await Promise.all(
        crowd.map(async (annotator) => {
          for (let idle = 0; idle < 5; ) {
            const task = await nextTask(db, annotator.id);
            if (!task) {
              idle++;
              await new Promise((resolve) => setTimeout(resolve, 20));
              continue;
            }
            const positive = await truthfulAnswer(db, task, truth);
            const { recorded } = await submitAnswers(db, annotator.id, task.taskId, positive);
            sent += recorded; // after the await: "sent += await …" would read sent before it
          }
        }),
      );
    } finally {
      await db.$disconnect();
    }
    expect(await t.db.vote.count({ where: { task: { campaignId: ids[0] } } })).toBe(sent);
    expect(await t.db.campaignItem.count({ where: { campaignId: ids[0], decision: "pending" } })).toBe(0);
  });

  it("decides with Dawid–Skene when the campaign asks for it", async () => {
    await t.db.campaign.updateMany({ data: { status: "paused" } });
    const { truth } = await candidates(10, "n02124075"); // Egyptian cat
    const { ids } = await createCampaigns(t.db, {
      wnid: "n02124075",
      policy: {
        estimator: "dawid-skene",
        seedSize: 4,
        seedVotes: 3,
        taskSize: 5,
        goldRate: 0,
        maxVotes: 4,
        target: 0.95,
      },
    });
    const crowd = await Promise.all(
      [1, 2, 3, 4].map((i) => createUser(t.db, { email: `ds${i}@x.org`, password: PASSWORD, roles: ["annotator"] })),
    );
    for (let round = 0; round < 30; round++) {
      const tasks = await Promise.all(crowd.map((a) => nextTask(t.db, a.id)));
      if (tasks.every((task) => task === null)) break;
      for (const [i, task] of tasks.entries()) {
        if (!task) continue;
        const positive = await truthfulAnswer(t.db, task, truth);
        await submitAnswers(t.db, crowd[i]?.id as number, task.taskId, positive);
      }
    }
    const items = await t.db.campaignItem.findMany({ where: { campaignId: ids[0] } });
    expect(items.filter((i) => i.decision === "pending")).toEqual([]);
    const decided = items.filter((i) => i.decision !== "ambiguous");
    expect(decided.length).toBeGreaterThanOrEqual(8);
    for (const item of decided) expect(item.decision).toBe(truth.get(item.imageId) ? "verified" : "rejected");
    expect(await recountSynsetCounts(t.db)).toEqual([]);
  });

  it("refuses a bad campaign with the kind of its problem, and creates nothing", async () => {
    const before = await t.db.campaign.count();
    await expect(createCampaigns(t.db, { wnid: "n99999999" })).rejects.toMatchObject({
      kind: "invalid",
      message: "no synset n99999999",
    });
    await expect(createCampaigns(t.db, { wnid: "dog" })).rejects.toMatchObject({
      kind: "invalid",
      message: expect.stringMatching(/^wnid: /),
    });
    await expect(createCampaigns(t.db, { wnid: DOG, policy: { seedVotes: 2 } })).rejects.toMatchObject({
      kind: "invalid",
      message: expect.stringMatching(/^policy\.seedVotes: /),
    });
    await expect(createCampaigns(t.db, { wnid: DOG, policy: { minVotes: 5, maxVotes: 4 } })).rejects.toMatchObject({
      kind: "invalid",
      message: expect.stringMatching(/minVotes must be an integer in \[1, 4\]/),
    });
    // Japanese spaniel: nothing below it has candidates.
    await expect(createCampaigns(t.db, { wnid: "n02085782", subtree: true })).rejects.toMatchObject({
      kind: "unprocessable",
      message: "no synset under n02085782 has candidate images",
    });
    expect(await t.db.campaign.count()).toBe(before);
  });

  it("lets an admin read a campaign, settle its items and block an annotator", async () => {
    const SHIH_TZU = "n02086240";
    const { ids: imageIds } = await candidates(2, SHIH_TZU);
    const [first, second] = imageIds as [number, number];
    const {
      ids: [campaignId],
    } = await createCampaigns(t.db, { wnid: SHIH_TZU, policy: { seedSize: 2, seedVotes: 3 } });
    const id = campaignId as number;
    await expect(getCampaign(t.db, 999_999)).rejects.toMatchObject({
      kind: "not-found",
      message: "no campaign 999999",
    });
    expect((await listCampaigns(t.db))[0]).toMatchObject({ id, wnid: SHIH_TZU, status: "active", items: 2 });

    await expect(overrideDecision(t.db, 999_999, first, "verified")).rejects.toMatchObject({
      kind: "not-found",
      message: "no campaign 999999",
    });
    await expect(overrideDecision(t.db, id, 999_999, "verified")).rejects.toMatchObject({
      kind: "not-found",
      message: `image 999999 is not in campaign ${id}`,
    });
    await t.db.campaignItem.update({
      where: { campaignId_imageId: { campaignId: id, imageId: second } },
      data: { decision: "ambiguous" },
    });
    expect((await listReviewQueue(t.db, id)).map((item) => item.imageId)).toEqual([second]);
    await overrideDecision(t.db, id, first, "verified");
    await overrideDecision(t.db, id, second, "rejected");
    expect(await listReviewQueue(t.db, id)).toEqual([]);
    const stats = await getCampaign(t.db, id);
    expect(stats.items).toEqual({ total: 2, pending: 0, verified: 1, rejected: 1, ambiguous: 0 });
    const links = await t.db.imageLink.findMany({ where: { imageId: { in: imageIds } }, orderBy: { imageId: "asc" } });
    expect(links.map((l) => l.state)).toEqual(["verified", "rejected"]);
    expect(await recountSynsetCounts(t.db)).toEqual([]);

    const annotator = await createUser(t.db, {
      email: "blockme@x.org",
      password: PASSWORD,
      roles: ["annotator"],
    });
    const { token } = await signIn(t.db, { email: "blockme@x.org", password: PASSWORD });
    await expect(setAnnotatorBlocked(t.db, 999_999, true)).rejects.toMatchObject({
      kind: "not-found",
      message: "no user 999999",
    });
    await setAnnotatorBlocked(t.db, annotator.id, true);
    expect(await authenticate(t.db, { sessionToken: token })).toBeNull();
    expect((await listAnnotators(t.db)).find((a) => a.id === annotator.id)).toMatchObject({ blocked: true, votes: 0 });
    await setAnnotatorBlocked(t.db, annotator.id, false);
    expect((await listAnnotators(t.db)).find((a) => a.id === annotator.id)).toMatchObject({ blocked: false });
  });
});

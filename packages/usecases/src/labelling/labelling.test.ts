import { createDb } from "@arbor/db";
import { useTestDatabase } from "@arbor/db/testing";
import { describe, expect, it } from "vitest";
import { createUser } from "../auth/create-user.ts";
import { applyNewLinkCounts } from "../image-links/apply-new-link-counts.ts";
import { recountSynsetCounts } from "../image-links/recount-synset-counts.ts";
import { createCampaigns } from "./create-campaign.ts";
import { nextTask } from "./next-task.ts";
import { submitAnswers } from "./submit-answers.ts";

const DOG = "n02084071";
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
      [1, 2, 3, 4].map((i) =>
        createUser(t.db, { email: `a${i}@x.org`, password: "password-123", roles: ["annotator"] }),
      ),
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
        const ids = new Set(task.images.map((img) => img.id));
        expect(ids.size).toBe(task.images.length);
        const positive = task.images.filter((img) => truth.get(img.id)).map((img) => img.id);
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
      ["b1", "b2"].map((n) =>
        createUser(t.db, { email: `${n}@x.org`, password: "password-123", roles: ["annotator"] }),
      ),
    );
    const task = await nextTask(t.db, a?.id as number);
    expect(task).not.toBeNull();
    const taskId = task?.taskId as string;
    await expect(submitAnswers(t.db, b?.id as number, taskId, [])).rejects.toMatchObject({ status: 403 });
    await expect(submitAnswers(t.db, a?.id as number, taskId, [999_999])).rejects.toMatchObject({ status: 400 });
    const first = await submitAnswers(t.db, a?.id as number, taskId, []);
    const second = await submitAnswers(t.db, a?.id as number, taskId, []);
    expect(first).toMatchObject({ alreadySubmitted: false, recorded: 2 });
    expect(second).toMatchObject({ alreadySubmitted: true, recorded: 0 });
    expect(await t.db.vote.count({ where: { taskId } })).toBe(2);

    const expiring = await nextTask(t.db, b?.id as number);
    await t.db.task.update({ where: { id: expiring?.taskId }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } });
    await expect(submitAnswers(t.db, b?.id as number, expiring?.taskId as string, [])).rejects.toMatchObject({
      status: 409,
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
    const crowd = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        createUser(t.db, { email: `c${i}@x.org`, password: "password-123", roles: ["annotator"] }),
      ),
    );
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
    const crowd = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        createUser(t.db, { email: `d${i}@x.org`, password: "password-123", roles: ["annotator"] }),
      ),
    );
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
            const positive = task.images.filter((image) => truth.get(image.id)).map((image) => image.id);
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
      [1, 2, 3, 4].map((i) =>
        createUser(t.db, { email: `ds${i}@x.org`, password: "password-123", roles: ["annotator"] }),
      ),
    );
    for (let round = 0; round < 30; round++) {
      const tasks = await Promise.all(crowd.map((a) => nextTask(t.db, a.id)));
      if (tasks.every((task) => task === null)) break;
      for (const [i, task] of tasks.entries()) {
        if (!task) continue;
        const positive = task.images.filter((image) => truth.get(image.id)).map((image) => image.id);
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
});

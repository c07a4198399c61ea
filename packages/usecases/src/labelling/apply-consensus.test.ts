import { useTestDatabase } from "@arbor/db/testing";
import { describe, expect, it } from "vitest";
import { createUser } from "../auth/create-user.ts";
import type { Principal } from "../auth/user-schemas.ts";
import { applyNewLinkCounts } from "../image-links/apply-new-link-counts.ts";
import { sweepDueConsensus } from "./apply-consensus.ts";
import { createCampaigns } from "./create-campaign.ts";
import { nextTask } from "./next-task.ts";
import { recordAnswers, submitAnswers } from "./submit-answers.ts";
import type { TaskView } from "./task-schemas.ts";

const PASSWORD = "quokka-lantern-umber-71";

/**
 * Consensus runs after the answer's transaction (issue 14). These tests play the step failing (the answer's
 * transaction committed, its step never ran: recordAnswers alone) and check that nothing is lost: the marks
 * stay, the sweep (or a repeated submission) decides, the seed's table is built, the counters stay exact.
 */
describe("consensus after the answer (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");
  let batch = 0;

  /** A fresh pool of `n` annotators (earlier ones blocked, earlier campaigns paused) and `images` candidates. */
  async function setUp(n: number, images: number, wnid: string) {
    await t.db.user.updateMany({ data: { blocked: true } });
    await t.db.campaign.updateMany({ where: { status: "active" }, data: { status: "paused" } });
    batch++;
    const crowd: Principal[] = [];
    for (let i = 0; i < n; i++) {
      crowd.push(await createUser(t.db, { email: `c${batch}-${i}@x.org`, password: PASSWORD, roles: ["annotator"] }));
    }
    const synset = await t.db.synset.findUniqueOrThrow({ where: { wnid } });
    const rows = await t.db.image.createManyAndReturn({
      data: Array.from({ length: images }, (_, i) => ({
        sha256: `due${batch}-${i}`.padStart(64, "d"),
        phash: BigInt(i),
        ...{ phashBand0: i, phashBand1: 0, phashBand2: 0, phashBand3: 0 },
        ...{ width: 10, height: 10, format: "jpeg", bytes: 1, originalKey: "o", thumbnailKey: "t" },
        ...{ thumbnailWidth: 10, thumbnailHeight: 10 },
      })),
      select: { id: true },
    });
    const ids = rows.map((r) => r.id);
    await t.db.$transaction(async (tx) => {
      const links = ids.map((imageId) => ({ imageId, synsetId: synset.id, state: "candidate" as const }));
      await tx.imageLink.createMany({ data: links });
      await applyNewLinkCounts(tx, links);
    });
    const {
      ids: [campaignId],
    } = await createCampaigns(t.db, { wnid, policy: { seedSize: 4, seedVotes: 3, goldRate: 0, taskSize: 4 } });
    return { crowd, campaignId: campaignId as number, isPositive: (id: number) => id % 2 === 0 };
  }

  /** The handles of a task's images that are really positive (the test knows the images behind them). */
  async function truthful(task: TaskView, isPositive: (id: number) => boolean): Promise<number[]> {
    const { imageIds } = await t.db.task.findUniqueOrThrow({ where: { id: task.taskId } });
    return task.images.filter((i) => isPositive(imageIds[i.handle] as number)).map((i) => i.handle);
  }

  const dueCount = (campaignId: number) => t.db.consensusDue.count({ where: { campaignId } });

  it("builds the seed's table in the sweep when the last seed answers' steps never ran, counters exact", async () => {
    const { crowd, campaignId, isPositive } = await setUp(3, 12, "n02084071");
    for (const who of crowd) {
      const task = (await nextTask(t.db, who.id)) as TaskView;
      expect(task.images).toHaveLength(4); // the seed, whole
      await recordAnswers(t.db, who.id, task.taskId, await truthful(task, isPositive));
    }
    // Every seed vote is in, counted, and marked due; no step ran, so no table yet.
    const seed = await t.db.campaignItem.findMany({ where: { campaignId, isSeed: true } });
    expect(seed.map((i) => i.yes + i.no)).toEqual([3, 3, 3, 3]);
    expect(seed.map((i) => i.leased)).toEqual([0, 0, 0, 0]);
    expect(await dueCount(campaignId)).toBe(4);
    expect((await t.db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).confidenceTable).toBeNull();
    // Marks younger than the sweep's age are an answer's own step's: left alone.
    expect(await sweepDueConsensus(t.db)).toBe(0);

    expect(await sweepDueConsensus(t.db, 0)).toBe(4);
    expect(await dueCount(campaignId)).toBe(0);
    expect((await t.db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).confidenceTable).not.toBeNull();
    // The same votes, counted once.
    const after = await t.db.campaignItem.findMany({ where: { campaignId, isSeed: true } });
    expect(after.map((i) => i.yes + i.no)).toEqual([3, 3, 3, 3]);
    expect(await t.db.vote.count({ where: { task: { campaignId } } })).toBe(12);
    // Work goes on past the seed.
    const next = (await nextTask(t.db, crowd[0]?.id as number)) as TaskView;
    const { imageIds } = await t.db.task.findUniqueOrThrow({ where: { id: next.taskId } });
    expect(seed.some((i) => imageIds.includes(i.imageId))).toBe(false);
  });

  it("decides at a repeated submission what the first one's step left due, recording nothing twice", async () => {
    const { crowd, campaignId, isPositive } = await setUp(3, 12, "n02085620");
    for (const who of crowd) {
      const task = (await nextTask(t.db, who.id)) as TaskView;
      await submitAnswers(t.db, who.id, task.taskId, await truthful(task, isPositive));
    }
    expect(await dueCount(campaignId)).toBe(0); // each answer's step ran
    const a = crowd[0] as Principal;
    const first = (await nextTask(t.db, a.id)) as TaskView;
    const positive = await truthful(first, isPositive);
    expect(await recordAnswers(t.db, a.id, first.taskId, positive)).toMatchObject({ recorded: 4 });
    const { imageIds } = await t.db.task.findUniqueOrThrow({ where: { id: first.taskId } });
    expect((await t.db.consensusDue.findMany({ where: { campaignId } })).map((d) => d.imageId).sort()).toEqual(
      [...imageIds].sort(),
    );
    // Never estimated yet (non-seed images, and their step did not run): no probability.
    const probabilities = async () =>
      (await t.db.campaignItem.findMany({ where: { campaignId, imageId: { in: imageIds } } })).map(
        (i) => i.probability,
      );
    expect(await probabilities()).toEqual([null, null, null, null]);

    const again = await submitAnswers(t.db, a.id, first.taskId, positive);
    expect(again).toEqual({ recorded: 0, alreadySubmitted: true });
    expect(await dueCount(campaignId)).toBe(0);
    expect(await t.db.vote.count({ where: { taskId: first.taskId } })).toBe(4);
    // The repeated submission's step estimated them.
    expect((await probabilities()).every((p) => p !== null)).toBe(true);
  });

  it("leaves its items to the step that holds the campaign, which decides them with its own", async () => {
    const { crowd, campaignId, isPositive } = await setUp(3, 12, "n02087046");
    for (const who of crowd) {
      const task = (await nextTask(t.db, who.id)) as TaskView;
      await submitAnswers(t.db, who.id, task.taskId, await truthful(task, isPositive));
    }
    const [a, b] = crowd as [Principal, Principal];
    const first = (await nextTask(t.db, a.id)) as TaskView;
    const firstPositive = await truthful(first, isPositive);
    // Another consensus step holds the campaign (its advisory lock) while a's answer commits: a's step skips.
    await t.db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${0x636f6e73}::int4, ${campaignId}::int4)`;
        expect(await submitAnswers(t.db, a.id, first.taskId, firstPositive)).toMatchObject({ recorded: 4 });
      },
      { timeout: 30_000 },
    );
    expect(await dueCount(campaignId)).toBe(4);
    // The next step to hold it decides a's items with its own.
    const second = (await nextTask(t.db, b.id)) as TaskView;
    await submitAnswers(t.db, b.id, second.taskId, await truthful(second, isPositive));
    expect(await dueCount(campaignId)).toBe(0);
    const { imageIds } = await t.db.task.findUniqueOrThrow({ where: { id: first.taskId } });
    const items = await t.db.campaignItem.findMany({ where: { campaignId, imageId: { in: imageIds } } });
    expect(items.every((i) => i.probability !== null)).toBe(true);
  });

  it("answers with the next task when asked, and with why there is none at the end", async () => {
    const { crowd, isPositive } = await setUp(3, 16, "n02086240");
    for (const other of crowd) {
      const seed = (await nextTask(t.db, other.id)) as TaskView;
      await submitAnswers(t.db, other.id, seed.taskId, await truthful(seed, isPositive));
    }
    // The table is built: the 12 other images, three tasks of 4, then nothing left for this annotator.
    const who = crowd[0] as Principal;
    let task = (await nextTask(t.db, who.id)) as TaskView;
    const seen = new Set<string>();
    for (let n = 0; n < 3; n++) {
      seen.add(task.taskId);
      const answer = await submitAnswers(t.db, who.id, task.taskId, await truthful(task, isPositive), { next: true });
      expect(answer.recorded).toBe(4);
      if (n === 2) {
        expect(answer.next).toBeNull();
        expect(answer.idle).toBe("voted-all"); // every image still open has this annotator's vote
        return;
      }
      if (!answer.next) throw new Error(`no next task after ${n + 1} (${answer.idle})`);
      expect(seen.has(answer.next.taskId)).toBe(false);
      const leased = await t.db.task.findUniqueOrThrow({ where: { id: answer.next.taskId } });
      expect(leased.annotatorId).toBe(who.id);
      expect(leased.submittedAt).toBeNull();
      task = answer.next;
    }
    throw new Error("unreachable");
  });
});

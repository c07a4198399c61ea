import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { useTestDatabase } from "@arbor/db/testing";
import { LocalDiskStore } from "@arbor/storage";
import { beforeAll, describe, expect, it } from "vitest";
import { applyNewLinkCounts } from "../image-links/apply-new-link-counts.ts";
import { createCampaigns } from "./create-campaign.ts";
import { nextTask } from "./next-task.ts";
import { submitAnswers } from "./submit-answers.ts";
import { openTaskImage, taskExampleIds } from "./task-images.ts";

const PUG = "n02110958";
const CAT = "n02121808";

async function bytesOf(stream: Readable): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

describe("a task names its images by handle and serves them itself (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");
  let blobs: LocalDiskStore;
  /** Image id → whether it shows a pug (the harness's truth). */
  const truth = new Map<number, boolean>();
  let annotators: number[];

  /** `n` images linked to `wnid` in `state`, each with a thumbnail whose bytes name it. */
  async function images(n: number, wnid: string, state: "candidate" | "verified", pug: boolean): Promise<number[]> {
    const synset = await t.db.synset.findUniqueOrThrow({ where: { wnid } });
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const key = `thumbnails/${wnid}-${state}-${i}.webp`;
      const image = await t.db.image.create({
        data: {
          sha256: `${wnid}${state}${i}`.padStart(64, "0"),
          phash: BigInt(ids.length + 1000 * truth.size),
          ...{ phashBand0: truth.size, phashBand1: 1, phashBand2: 2, phashBand3: 3 },
          ...{ width: 300, height: 200, format: "jpeg", bytes: 1, originalKey: key, thumbnailKey: key },
          ...{ thumbnailWidth: 30, thumbnailHeight: 20 },
        },
      });
      await blobs.put(key, Buffer.from(`thumbnail of image ${image.id}`));
      ids.push(image.id);
      truth.set(image.id, pug);
    }
    await t.db.$transaction(async (tx) => {
      const links = ids.map((imageId) => ({ imageId, synsetId: synset.id, state }));
      await tx.imageLink.createMany({ data: links });
      await applyNewLinkCounts(tx, links);
    });
    return ids;
  }

  beforeAll(async () => {
    blobs = new LocalDiskStore(path.join(await mkdtemp(path.join(tmpdir(), "arbor-task-images-")), "blobs"), {
      signingSecret: "test",
      publicBaseUrl: "http://x",
    });
    // 4 examples and 1 more: every task's "yes" gold question must be that one (drawn at random among all
    // five, one of the examples would nearly always come up in the three tasks below).
    await images(5, PUG, "verified", true);
    await images(4, CAT, "verified", false); // gold "no" questions
    await images(8, PUG, "candidate", true);
    await createCampaigns(t.db, {
      wnid: PUG,
      policy: { seedSize: 8, seedVotes: 3, taskSize: 4, goldRate: 0.5 },
    });
    annotators = [];
    for (const name of ["ann", "ben", "cat"]) {
      const user = await t.db.user.create({
        data: { email: `${name}@tasks.test`, passwordHash: "unused", roles: ["annotator"] },
      });
      annotators.push(user.id);
    }
  });

  it("carries no global image id: handles, and thumbnails through the task", async () => {
    const [ann] = annotators as [number];
    const task = await nextTask(t.db, ann);
    if (!task) throw new Error("no task");
    expect(task.images.map((image) => image.handle)).toEqual([0, 1, 2, 3]);
    expect(task.images.map((image) => image.thumbnailUrl)).toEqual(
      [0, 1, 2, 3].map((n) => `/api/v1/tasks/${task.taskId}/images/${n}`),
    );
    expect(task.examples.map((example) => example.thumbnailUrl)).toEqual(
      [0, 1, 2, 3].map((n) => `/api/v1/tasks/${task.taskId}/examples/${n}`),
    );
    const payload = JSON.stringify(task);
    expect(payload).not.toMatch(/\/api\/v1\/images\//);
    expect(payload).not.toMatch(/"id"/);
    // Nothing in an item marks it gold: the same keys for every one, and (no model) no guess on any.
    for (const image of task.images) {
      expect(Object.keys(image).sort()).toEqual(["handle", "modelGuess", "thumbnailUrl"]);
      expect(image.modelGuess).toBeNull();
    }

    const row = await t.db.task.findUniqueOrThrow({ where: { id: task.taskId } });
    expect(Object.keys(row.gold as object)).toHaveLength(2);
    for (const [n, imageId] of row.imageIds.entries()) {
      const image = await openTaskImage({ db: t.db, blobs }, ann, task.taskId, { kind: "image", n });
      expect(image.contentType).toBe("image/jpeg"); // its own thumbnail (same key)
      expect(await bytesOf(image.stream)).toBe(`thumbnail of image ${imageId}`);
      expect(image.leaseExpiresAt.toISOString()).toBe(task.leaseExpiresAt);
      expect(image).not.toHaveProperty("etag");
    }
    const examples = await taskExampleIds(t.db, await pugId());
    for (const [n, imageId] of examples.entries()) {
      const example = await openTaskImage({ db: t.db, blobs }, ann, task.taskId, { kind: "example", n });
      expect(await bytesOf(example.stream)).toBe(`thumbnail of image ${imageId}`);
    }
  });

  it("never asks an example as a gold question", async () => {
    const examples = new Set(await taskExampleIds(t.db, await pugId()));
    expect(examples.size).toBe(4);
    for (const annotator of annotators) {
      if (await t.db.task.count({ where: { annotatorId: annotator } })) {
        const row = await t.db.task.findFirstOrThrow({ where: { annotatorId: annotator } });
        for (const imageId of row.imageIds) expect(examples.has(imageId)).toBe(false);
        continue;
      }
      const task = await nextTask(t.db, annotator);
      if (!task) throw new Error("no task");
      const row = await t.db.task.findUniqueOrThrow({ where: { id: task.taskId } });
      expect(Object.keys(row.gold as object)).toHaveLength(2);
      for (const imageId of row.imageIds) expect(examples.has(imageId)).toBe(false);
    }
  });

  it("serves a task's images to its annotator only, while the lease lives, and takes answers by handle", async () => {
    const [ann, ben] = annotators as [number, number];
    const held = await t.db.task.findFirstOrThrow({ where: { annotatorId: ann, submittedAt: null } });
    const open = (annotator: number, n: number, taskId = held.id) =>
      openTaskImage({ db: t.db, blobs }, annotator, taskId, { kind: "image", n });
    await expect(open(ben, 0)).rejects.toMatchObject({ kind: "forbidden" });
    await expect(open(ann, 4)).rejects.toMatchObject({ kind: "not-found", message: `task ${held.id} has no image 4` });
    await expect(openTaskImage({ db: t.db, blobs }, ann, held.id, { kind: "example", n: 4 })).rejects.toMatchObject({
      kind: "not-found",
    });
    const unknown = "00000000-0000-4000-8000-000000000000";
    await expect(open(ann, 0, unknown)).rejects.toMatchObject({ kind: "not-found", message: `no task ${unknown}` });

    // A truthful answer, by handle: every gold question is answered right.
    const positive = held.imageIds.flatMap((imageId, n) => (truth.get(imageId) ? [n] : []));
    expect(await submitAnswers(t.db, ann, held.id, positive)).toMatchObject({ recorded: 4 });
    const votes = await t.db.vote.findMany({ where: { taskId: held.id } });
    expect(new Set(votes.map((v) => v.imageId))).toEqual(new Set(held.imageIds));
    for (const vote of votes) expect(vote.positive).toBe(truth.get(vote.imageId));
    expect(votes.filter((v) => v.goldCorrect !== null).map((v) => v.goldCorrect)).toEqual([true, true]);
    // Answered: its images are no longer served.
    await expect(open(ann, 0)).rejects.toMatchObject({ kind: "conflict" });

    // Nor once the lease has run out.
    const expiring = await t.db.task.findFirstOrThrow({ where: { annotatorId: ben, submittedAt: null } });
    await t.db.task.update({ where: { id: expiring.id }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } });
    await expect(open(ben, 0, expiring.id)).rejects.toMatchObject({ kind: "conflict" });
  });

  it("never asks a restricted image (labels withheld) as a gold question", async () => {
    const examples = await taskExampleIds(t.db, await pugId());
    const [spare] = (
      await t.db.imageLink.findMany({
        where: { synsetId: await pugId(), state: "verified" },
        orderBy: { imageId: "asc" },
      })
    )
      .map((l) => l.imageId)
      .filter((id) => !examples.includes(id));
    const dataset = await t.db.dataset.create({ data: { name: "hidden pugs" } });
    const version = await t.db.datasetVersion.create({
      data: { datasetId: dataset.id, number: 1, definition: {}, report: {}, classCount: 1, imageCount: 1 },
    });
    await t.db.imageRestriction.create({
      data: { imageId: spare as number, datasetVersionId: version.id, split: "test", reason: "definition" },
    });
    const dan = await t.db.user.create({
      data: { email: "dan@tasks.test", passwordHash: "unused", roles: ["annotator"] },
    });
    const task = await nextTask(t.db, dan.id);
    if (!task) throw new Error("no task");
    const row = await t.db.task.findUniqueOrThrow({ where: { id: task.taskId } });
    // The spare verified pug was every task's "yes" question; restricted, there is none left to ask.
    expect(row.imageIds).not.toContain(spare);
    expect(Object.values(row.gold as Record<string, boolean>)).toEqual([false]);
  });

  const pugId = async () => (await t.db.synset.findUniqueOrThrow({ where: { wnid: PUG } })).id;
});

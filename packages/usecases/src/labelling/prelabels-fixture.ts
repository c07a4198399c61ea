import { mulberry32 } from "@arbor/core";
import type { Db } from "@arbor/db";
import { applyNewLinkCounts } from "../image-links/apply-new-link-counts.ts";
import { requestTask } from "./request-task.ts";
import { submitAnswers } from "./submit-answers.ts";

/** Shared by the prelabels tests (prelabels*.test.ts): synsets, a crowd, candidates and models on a test database. */

export const DOG = "n02084071";
export const CHIHUAHUA = "n02085620";
export const SHIH_TZU = "n02086240";
export const PUG = "n02110958";
export const MALTESE = "n02085936";
export const PEKINESE = "n02086079";
export const PAPILLON = "n02086910";
export const TOY_TERRIER = "n02087046";
export const BEAGLE = "n02088364";
export const CAT = "n02121808";
export const AFGHAN = "n02088094";
export const BASSET = "n02088238";
export const BLUETICK = "n02088632";

/** How annotator `who` (their index in the crowd) answers "does image `imageId` show the synset?". */
export type Answer = (who: number, imageId: number) => boolean;

/**
 * A good model, not a perfect one: score σ(±2 + 1.2 z), z standard normal (Box–Muller), + for a positive
 * (AUC = Φ(4 / (1.2 √2)) ≈ 0.99), each image's draw fixed by its position.
 */
export const goodScore = (positive: boolean, position: number) => {
  const rng = mulberry32(position + 1);
  const z = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  return 1 / (1 + Math.exp(-((positive ? 2 : -2) + 1.2 * z)));
};

/** Scores of a separable model: positives above 0.55, negatives below 0.45, each image's draw fixed by i. */
export const separable = (i: number, positive: boolean) => {
  const u = mulberry32(i + 11)();
  return positive ? 0.55 + 0.45 * u : 0.45 * u;
};

/** Right with probability 0.85, each (annotator, image position) drawn once: the same votes in any campaign. */
export const noisy =
  (truth: Map<number, boolean>, ids: number[]): Answer =>
  (who, imageId) => {
    const position = ids.indexOf(imageId);
    const right = mulberry32(7919 * (who + 1) + 104_729 * (position + 1))() < 0.85;
    return right === (truth.get(imageId) ?? false);
  };

/** Always right. */
export const truthful =
  (truth: Map<number, boolean>): Answer =>
  (_, imageId) =>
    truth.get(imageId) ?? false;

/** The helpers bound to a test database (`useTestDatabase`'s handle, read when called). */
export function prelabelsFixture(t: { readonly db: Db }) {
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

  const items = (campaignId: number) =>
    t.db.campaignItem.findMany({ where: { campaignId }, orderBy: { imageId: "asc" } });

  return { linked, candidates, model, freshPool, labelAll, answerOne, items };
}

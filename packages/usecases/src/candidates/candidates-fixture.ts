import { randomBytes } from "node:crypto";
import type { Db } from "@arbor/db";
import { beforeAll } from "vitest";
import { applyNewLinkCounts } from "../image-links/apply-new-link-counts.ts";
import { type Actor, OPERATOR } from "../restrictions/viewer.ts";
import { type CandidateProgress, executeCandidateRun } from "./execute-candidate-run.ts";
import { getCandidateRun } from "./get-candidate-run.ts";
import { createCandidateRun } from "./start-candidate-run.ts";

/** Shared by the candidates tests (candidate runs, likely label errors, model-verified splits). */

export const DOG = "n02084071";
export const CHIHUAHUA = "n02085620"; // below dog (toy dog)
export const JAPANESE_SPANIEL = "n02085782"; // below dog
export const MALTESE = "n02085936"; // below dog
export const SHIH_TZU = "n02086240";
export const CAT = "n02121808"; // domestic cat
export const TABBY = "n02123045"; // below domestic cat

export type State = "candidate" | "verified" | "rejected";

/**
 * The helpers bound to a test database (`useTestDatabase`'s handle, read when called); registers the
 * beforeAll that looks up the synsets and makes a researcher.
 */
export function candidatesFixture(t: { readonly db: Db }) {
  let researcher: Actor;
  const synsetIds = new Map<string, number>();
  const idOf = (wnid: string) => synsetIds.get(wnid) as number;

  beforeAll(async () => {
    const synsets = await t.db.synset.findMany({
      where: { wnid: { in: [DOG, CHIHUAHUA, JAPANESE_SPANIEL, MALTESE, SHIH_TZU, CAT, TABBY] } },
      select: { id: true, wnid: true },
    });
    for (const s of synsets) synsetIds.set(s.wnid, s.id);
    researcher = await t.db.user.create({
      data: { email: "researcher@candidates.test", passwordHash: "unused", roles: ["researcher"] },
      select: { id: true, roles: true },
    });
  });

  /** Images with random hashes (no two are near-duplicates), or all sharing `phash` when given (all are). */
  async function images(n: number, phash?: bigint): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const bands = phash === undefined ? randomBytes(8) : Buffer.alloc(8);
      const image = await t.db.image.create({
        data: {
          sha256: randomBytes(32).toString("hex"),
          phash: phash ?? bands.readBigInt64BE(),
          ...{ phashBand0: bands.readUInt16BE(0), phashBand1: bands.readUInt16BE(2) },
          ...{ phashBand2: bands.readUInt16BE(4), phashBand3: bands.readUInt16BE(6) },
          ...{ width: 10, height: 10, format: "jpeg", bytes: 1, originalKey: "o", thumbnailKey: "t" },
          ...{ thumbnailWidth: 10, thumbnailHeight: 10 },
        },
        select: { id: true },
      });
      ids.push(image.id);
    }
    return ids;
  }

  /** Links made the way ingest makes them: counts kept exact. */
  async function link(imageIds: number[], wnid: string, state: State, extra: { modelVerifiedById?: number } = {}) {
    await t.db.$transaction(async (tx) => {
      const links = imageIds.map((imageId) => ({ imageId, synsetId: idOf(wnid), state }));
      await tx.imageLink.createMany({ data: links.map((l) => ({ ...l, ...extra })) });
      await applyNewLinkCounts(tx, links);
    });
  }

  async function model(name: string, classes: string[] = []): Promise<number> {
    return (await t.db.model.create({ data: { name, architecture: "resnet", classes }, select: { id: true } })).id;
  }

  /** Predictions (imageId, wnid, score), out-of-sample unless `inTraining`. */
  async function predict(modelId: number, rows: [number, string, number][], inTraining = false) {
    await t.db.prediction.createMany({
      data: rows.map(([imageId, wnid, score]) => ({ modelId, imageId, synsetId: idOf(wnid), score, inTraining })),
    });
  }

  const linkOf = (imageId: number, wnid: string) =>
    t.db.imageLink.findUnique({ where: { imageId_synsetId: { imageId, synsetId: idOf(wnid) } } });

  async function propose(input: Parameters<typeof createCandidateRun>[1], onProgress?: (p: CandidateProgress) => void) {
    const { runId } = await createCandidateRun(t.db, input, OPERATOR);
    await executeCandidateRun({ db: t.db }, runId, onProgress);
    return getCandidateRun(t.db, runId);
  }

  return { researcher: () => researcher, idOf, images, link, model, predict, linkOf, propose };
}

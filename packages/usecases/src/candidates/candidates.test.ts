import { randomBytes } from "node:crypto";
import { useTestDatabase } from "@arbor/db/testing";
import { InlineQueue } from "@arbor/jobs";
import type { BlobStore } from "@arbor/storage";
import { beforeAll, describe, expect, it } from "vitest";
import { createDatasetVersion } from "../datasets/create-dataset-version.ts";
import { applyNewLinkCounts } from "../image-links/apply-new-link-counts.ts";
import { recountSynsetCounts } from "../image-links/recount-synset-counts.ts";
import { registerJobHandlers } from "../jobs/register-job-handlers.ts";
import { campaignPolicySchema } from "../labelling/campaign-policy.ts";
import { type Actor, OPERATOR } from "../restrictions/viewer.ts";
import { type CandidateProgress, executeCandidateRun } from "./execute-candidate-run.ts";
import { getCandidateRun } from "./get-candidate-run.ts";
import { listLikelyLabelErrors } from "./likely-label-errors.ts";
import { listCandidateRuns } from "./list-candidate-runs.ts";
import { sendBackForVotes } from "./send-back-for-votes.ts";
import { createCandidateRun, startCandidateRun } from "./start-candidate-run.ts";

const DOG = "n02084071";
const CHIHUAHUA = "n02085620"; // below dog (toy dog)
const JAPANESE_SPANIEL = "n02085782"; // below dog
const MALTESE = "n02085936"; // below dog
const SHIH_TZU = "n02086240";
const CAT = "n02121808"; // domestic cat
const TABBY = "n02123045"; // below domestic cat

type State = "candidate" | "verified" | "rejected";

describe("pre-labels from models: candidate runs, likely label errors, sending back (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");
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

  describe("candidate runs", () => {
    it("proposes images scoring at least minScore, with their origin; linked and restricted images stay as they are", async () => {
      const m = await model("by score", [CHIHUAHUA]);
      const [high, edge, low, verified, rejected, restricted] = (await images(6)) as [
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      await link([verified], CHIHUAHUA, "verified");
      await link([rejected], CHIHUAHUA, "rejected");
      // A hidden test image: in a split whose labels are withheld.
      const dataset = await t.db.dataset.create({ data: { name: "hidden" } });
      const version = await t.db.datasetVersion.create({
        data: { datasetId: dataset.id, number: 1, definition: {}, report: {}, classCount: 0, imageCount: 0 },
      });
      await t.db.imageRestriction.create({
        data: { imageId: restricted, datasetVersionId: version.id, split: "test", reason: "definition" },
      });
      // 0.7 exactly: stored as real (0.69999999), it must still meet minScore 0.7.
      await predict(m, [
        [high, CHIHUAHUA, 0.9],
        [edge, CHIHUAHUA, 0.7],
        [low, CHIHUAHUA, 0.69],
        [verified, CHIHUAHUA, 0.95],
        [rejected, CHIHUAHUA, 0.95],
        [restricted, CHIHUAHUA, 0.99],
      ]);
      const progress: CandidateProgress[] = [];
      const run = await propose({ modelId: m, wnid: CHIHUAHUA, minScore: 0.7 }, (p) => progress.push(p));
      expect(run).toMatchObject({
        status: "succeeded",
        wnid: CHIHUAHUA,
        modelName: "by score",
        total: 1,
        processed: 1,
        proposed: 2,
        error: null,
        minScore: 0.7,
        topK: null,
        subtree: false,
      });
      expect(run.startedAt).not.toBeNull();
      expect(run.finishedAt).not.toBeNull();
      expect(progress).toEqual([
        { processed: 0, total: 1, proposed: 0 },
        { processed: 1, total: 1, proposed: 2 },
      ]);
      const proposed = await t.db.imageLink.findMany({
        where: { originModelId: m },
        orderBy: { imageId: "asc" },
        select: { imageId: true, synsetId: true, state: true, originScore: true },
      });
      expect(proposed).toEqual([
        { imageId: high, synsetId: idOf(CHIHUAHUA), state: "candidate", originScore: expect.closeTo(0.9, 6) },
        { imageId: edge, synsetId: idOf(CHIHUAHUA), state: "candidate", originScore: expect.closeTo(0.7, 6) },
      ]);
      expect(await linkOf(verified, CHIHUAHUA)).toMatchObject({ state: "verified", originModelId: null });
      expect(await linkOf(rejected, CHIHUAHUA)).toMatchObject({ state: "rejected", originModelId: null });
      expect(await linkOf(restricted, CHIHUAHUA)).toBeNull();
      expect(await linkOf(low, CHIHUAHUA)).toBeNull();
      expect(await recountSynsetCounts(t.db)).toEqual([]);
      // Run again: nothing is proposed twice.
      expect(await propose({ modelId: m, wnid: CHIHUAHUA, minScore: 0.7 })).toMatchObject({
        status: "succeeded",
        proposed: 0,
      });
    });

    it("proposes by top-k among each image's predictions, a descendant's prediction counting for the synset", async () => {
      const m = await model("by rank", [CHIHUAHUA, CAT, TABBY]);
      const [second, third, tied] = (await images(3)) as [number, number, number];
      await predict(m, [
        [second, CAT, 0.5],
        [second, CHIHUAHUA, 0.4], // rank 2
        [second, TABBY, 0.1],
        [third, TABBY, 0.4],
        [third, CAT, 0.35],
        [third, CHIHUAHUA, 0.25], // rank 3
        [tied, CAT, 0.6],
        [tied, CHIHUAHUA, 0.3], // ties with tabby for rank 2: both rank 2
        [tied, TABBY, 0.3],
      ]);
      // Dog itself is no class of the model: its candidates come from chihuahua, a descendant.
      const run = await propose({ modelId: m, wnid: DOG, topK: 2 });
      expect(run).toMatchObject({ status: "succeeded", total: 1, proposed: 2 });
      const proposed = await t.db.imageLink.findMany({
        where: { originModelId: m },
        orderBy: { imageId: "asc" },
        select: { imageId: true, synsetId: true, originScore: true },
      });
      expect(proposed).toEqual([
        { imageId: second, synsetId: idOf(DOG), originScore: expect.closeTo(0.4, 6) },
        { imageId: tied, synsetId: idOf(DOG), originScore: expect.closeTo(0.3, 6) },
      ]);
      // Both thresholds: either one suffices (third's 0.25 meets minScore 0.2).
      const cats = await propose({ modelId: m, wnid: CHIHUAHUA, topK: 1, minScore: 0.2 });
      expect(cats.proposed).toBe(3);
      expect(await recountSynsetCounts(t.db)).toEqual([]);
    });

    it("with subtree, gives every synset below that the model predicts its own candidates, with progress per synset", async () => {
      const m = await model("subtree", [CHIHUAHUA, JAPANESE_SPANIEL, TABBY]);
      const [chihuahua, spaniel, tabby, weak] = (await images(4)) as [number, number, number, number];
      await predict(m, [
        [chihuahua, CHIHUAHUA, 0.8],
        [spaniel, JAPANESE_SPANIEL, 0.6],
        [tabby, TABBY, 0.9],
        [weak, JAPANESE_SPANIEL, 0.2],
      ]);
      const progress: CandidateProgress[] = [];
      const run = await propose({ modelId: m, wnid: DOG, subtree: true, minScore: 0.5 }, (p) => progress.push(p));
      expect(run).toMatchObject({ status: "succeeded", subtree: true, total: 2, processed: 2, proposed: 2 });
      expect(progress.map((p) => p.processed)).toEqual([0, 1, 2]);
      const proposed = await t.db.imageLink.findMany({
        where: { originModelId: m },
        orderBy: { imageId: "asc" },
        select: { imageId: true, synsetId: true },
      });
      // Dog, which the model does not predict, gets none (its breeds have them); the tabby is no dog.
      expect(proposed).toEqual([
        { imageId: chihuahua, synsetId: idOf(CHIHUAHUA) },
        { imageId: spaniel, synsetId: idOf(JAPANESE_SPANIEL) },
      ]);
      expect(await recountSynsetCounts(t.db)).toEqual([]);
    });

    it("refuses non-admins, unknown models and synsets, missing or out-of-range thresholds, and starts nothing", async () => {
      const m = await model("refusals", [CHIHUAHUA]);
      const [image] = (await images(1)) as [number];
      await predict(m, [[image, CHIHUAHUA, 0.9]]);
      const before = await t.db.candidateRun.count();
      const cases: [Parameters<typeof createCandidateRun>[1], Actor, string, RegExp | string][] = [
        [{ modelId: m, wnid: CHIHUAHUA, minScore: 0.5 }, researcher, "forbidden", /only admins/],
        [{ modelId: 99999, wnid: CHIHUAHUA, minScore: 0.5 }, OPERATOR, "invalid", "no model 99999"],
        [{ modelId: m, wnid: "n99999999", minScore: 0.5 }, OPERATOR, "invalid", "no synset n99999999"],
        [{ modelId: m, wnid: "dog", minScore: 0.5 }, OPERATOR, "invalid", /^wnid: /],
        [{ modelId: m, wnid: CHIHUAHUA }, OPERATOR, "invalid", /give minScore .* topK .* or both/],
        [{ modelId: m, wnid: CHIHUAHUA, minScore: 1.5 }, OPERATOR, "invalid", /^minScore: /],
        [{ modelId: m, wnid: CHIHUAHUA, topK: 0 }, OPERATOR, "invalid", /^topK: /],
        [{ modelId: m, wnid: CHIHUAHUA, topK: 101 }, OPERATOR, "invalid", /^topK: /],
        [{ modelId: m, wnid: CHIHUAHUA, topK: 2.5 }, OPERATOR, "invalid", /^topK: /],
        [{ modelId: m, wnid: CAT, minScore: 0.5 }, OPERATOR, "unprocessable", /no prediction for n02121808/],
      ];
      for (const [input, actor, kind, message] of cases) {
        await expect(createCandidateRun(t.db, input, actor), JSON.stringify(input)).rejects.toMatchObject({
          kind,
          message: typeof message === "string" ? message : expect.stringMatching(message),
        });
      }
      const jobs = new InlineQueue();
      await expect(
        startCandidateRun({ db: t.db, jobs }, { modelId: m, wnid: CHIHUAHUA, topK: 1 }, researcher),
      ).rejects.toMatchObject({ kind: "forbidden" });
      expect(await t.db.candidateRun.count()).toBe(before);
      await expect(getCandidateRun(t.db, 999_999)).rejects.toMatchObject({ kind: "not-found" });
    });

    it("runs as a worker's job, is listed, and a run whose worker died is failed, not left running", async () => {
      const m = await model("job", [MALTESE]);
      const [image] = (await images(1)) as [number];
      await predict(m, [[image, MALTESE, 0.9]]);
      const jobs = new InlineQueue();
      await registerJobHandlers({ db: t.db, blobs: {} as BlobStore, jobs });
      const { runId } = await startCandidateRun({ db: t.db, jobs }, { modelId: m, wnid: MALTESE, topK: 1 }, OPERATOR);
      await jobs.idle();
      const run = await getCandidateRun(t.db, runId);
      expect(run).toMatchObject({ status: "succeeded", proposed: 1 });
      const row = await t.db.candidateRun.findUniqueOrThrow({ where: { id: runId } });
      expect(row.heartbeatAt).not.toBeNull();
      expect((await listCandidateRuns(t.db))[0]).toEqual(run);

      // What a killed worker leaves: running, its heartbeat long past the threshold.
      const dead = await t.db.candidateRun.create({
        data: { modelId: m, synsetId: idOf(MALTESE), topK: 1, status: "running", startedAt: new Date(), total: 1 },
      });
      await t.db.$executeRaw`UPDATE candidate_run SET heartbeat_at = now() - interval '1 hour' WHERE id = ${dead.id}`;
      const failed = await getCandidateRun(t.db, dead.id);
      expect(failed.status).toBe("failed");
      expect(failed.error).toMatch(/the worker stopped while running .*start the same run again/);
    });

    it("a run that fails is marked failed with the reason", async () => {
      const m = await model("failing", [MALTESE]);
      const [image] = (await images(1)) as [number];
      await predict(m, [[image, SHIH_TZU, 0.9]]);
      const { runId } = await createCandidateRun(t.db, { modelId: m, wnid: SHIH_TZU, minScore: 0.5 }, OPERATOR);
      // The database refuses the writes of the links (as a full disk would).
      const db = new Proxy(t.db, {
        get: (target, key) =>
          key === "$transaction"
            ? () => Promise.reject(new Error("no space left on device"))
            : Reflect.get(target, key),
      });
      await executeCandidateRun({ db }, runId);
      expect(await getCandidateRun(t.db, runId)).toMatchObject({
        status: "failed",
        error: "no space left on device",
        processed: 0,
      });
      expect(await linkOf(image, SHIH_TZU)).toBeNull();
    });
  });

  describe("likely label errors and sending back for votes", () => {
    let m: number;
    let chihuahuas: number[];
    let tabbies: number[];
    let planted: [number, number];
    let inSample: number;

    beforeAll(async () => {
      m = await model("label errors", [CHIHUAHUA, TABBY]);
      chihuahuas = await images(10);
      tabbies = await images(10);
      planted = (await images(2)) as [number, number];
      inSample = (await images(1))[0] as number;
      await link(chihuahuas, CHIHUAHUA, "verified");
      await link(tabbies, TABBY, "verified");
      // Mislabelled: tabbies verified as chihuahuas; and one whose contrary scores are in-sample only.
      await link([...planted, inSample], CHIHUAHUA, "verified");
      await predict(m, [
        ...chihuahuas.flatMap((id): [number, string, number][] => [
          [id, CHIHUAHUA, 0.8],
          [id, TABBY, 0.1],
        ]),
        ...tabbies.flatMap((id): [number, string, number][] => [
          [id, TABBY, 0.8],
          [id, CHIHUAHUA, 0.1],
        ]),
        [planted[0], TABBY, 0.85],
        [planted[0], CHIHUAHUA, 0.05],
        [planted[1], TABBY, 0.82],
        [planted[1], CHIHUAHUA, 0.3],
      ]);
      await predict(
        m,
        [
          [inSample, TABBY, 0.9],
          [inSample, CHIHUAHUA, 0.05],
        ],
        true,
      );
    });

    it("finds the planted mislabels, ranked by margin, and not the correct ones nor in-sample evidence", async () => {
      // Thresholds: chihuahua (10 × 0.8 + 0.05 + 0.3) / 12 ≈ 0.696, tabby 0.8; both planted are below the
      // first and above the second; the correct ones are above their own.
      const errors = await listLikelyLabelErrors(t.db, { modelId: m });
      expect(errors).toEqual([
        {
          imageId: planted[0],
          thumbnailUrl: expect.stringContaining(String(planted[0])),
          wnid: CHIHUAHUA,
          lemma: "Chihuahua",
          givenProbability: expect.closeTo(0.05, 6),
          suggestedWnid: TABBY,
          suggestedLemma: "tabby",
          suggestedProbability: expect.closeTo(0.85, 6),
          margin: expect.closeTo(0.8, 6),
        },
        expect.objectContaining({ imageId: planted[1], margin: expect.closeTo(0.52, 6) }),
      ]);
      expect(await listLikelyLabelErrors(t.db, { modelId: m, wnid: CHIHUAHUA, limit: 1 })).toEqual([errors[0]]);
      expect(await listLikelyLabelErrors(t.db, { modelId: m, wnid: TABBY })).toEqual([]);
    });

    it("refuses an unknown model, a wnid outside its classes and a limit out of range", async () => {
      await expect(listLikelyLabelErrors(t.db, { modelId: 99999 })).rejects.toMatchObject({
        kind: "not-found",
        message: "no model 99999",
      });
      await expect(listLikelyLabelErrors(t.db, { modelId: m, wnid: DOG })).rejects.toMatchObject({
        kind: "invalid",
        message: `${DOG} is not one of model ${m}'s classes`,
      });
      for (const limit of [0, 1001, 2.5]) {
        await expect(listLikelyLabelErrors(t.db, { modelId: m, limit })).rejects.toMatchObject({
          kind: "invalid",
          message: expect.stringMatching(/^limit: /),
        });
      }
    });

    it("sends a link back for votes: a candidate again, first in line in the synset's active campaign", async () => {
      const policy = campaignPolicySchema.parse({});
      const campaign = await t.db.campaign.create({
        data: { synsetId: idOf(CHIHUAHUA), policy },
        select: { id: true },
      });
      const [waiting] = (await images(1)) as [number];
      await link([waiting], CHIHUAHUA, "candidate");
      await t.db.campaignItem.create({ data: { campaignId: campaign.id, imageId: waiting, priority: 0.3 } });
      // The second one was verified by auto-accept in this campaign.
      await t.db.imageLink.update({
        where: { imageId_synsetId: { imageId: planted[1], synsetId: idOf(CHIHUAHUA) } },
        data: { modelVerifiedById: m, modelVerifiedPrior: 0.99 },
      });
      await t.db.campaignItem.create({
        data: { campaignId: campaign.id, imageId: planted[1], decision: "verified", autoAccepted: true, priority: 0.1 },
      });

      expect(await sendBackForVotes(t.db, { imageId: planted[0], wnid: CHIHUAHUA }, OPERATOR)).toEqual({
        imageId: planted[0],
        wnid: CHIHUAHUA,
        state: "candidate",
        campaignId: campaign.id,
      });
      expect(await linkOf(planted[0], CHIHUAHUA)).toMatchObject({ state: "candidate" });
      const added = await t.db.campaignItem.findUniqueOrThrow({
        where: { campaignId_imageId: { campaignId: campaign.id, imageId: planted[0] } },
      });
      expect(added).toMatchObject({ decision: "pending", isSeed: false, priority: expect.closeTo(-0.7, 9) });

      await sendBackForVotes(t.db, { imageId: planted[1], wnid: CHIHUAHUA }, OPERATOR);
      expect(await linkOf(planted[1], CHIHUAHUA)).toMatchObject({
        state: "candidate",
        modelVerifiedById: null,
        modelVerifiedPrior: null,
      });
      const reopened = await t.db.campaignItem.findUniqueOrThrow({
        where: { campaignId_imageId: { campaignId: campaign.id, imageId: planted[1] } },
      });
      expect(reopened).toMatchObject({ decision: "pending", autoAccepted: false, priority: expect.closeTo(-1.7, 9) });
      expect(await recountSynsetCounts(t.db)).toEqual([]);
      // Candidates now: no longer listed as label errors.
      expect(await listLikelyLabelErrors(t.db, { modelId: m })).toEqual([]);

      // No active campaign of tabby: a candidate all the same, for the next campaign to take.
      expect(await sendBackForVotes(t.db, { imageId: tabbies[0] as number, wnid: TABBY }, OPERATOR)).toMatchObject({
        state: "candidate",
        campaignId: null,
      });
      expect(await recountSynsetCounts(t.db)).toEqual([]);
    });

    it("refuses non-admins, unknown synsets and images, missing links and links that are not verified", async () => {
      const [rejected, unlinked] = (await images(2)) as [number, number];
      await link([rejected], CHIHUAHUA, "rejected");
      const cases: [Parameters<typeof sendBackForVotes>[1], Actor, string, RegExp | string][] = [
        [{ imageId: chihuahuas[0] as number, wnid: CHIHUAHUA }, researcher, "forbidden", /only admins/],
        [{ imageId: chihuahuas[0] as number, wnid: "n99999999" }, OPERATOR, "invalid", "no synset n99999999"],
        [{ imageId: 0, wnid: CHIHUAHUA }, OPERATOR, "invalid", /^imageId: /],
        [{ imageId: 999_999, wnid: CHIHUAHUA }, OPERATOR, "not-found", "no image 999999"],
        [
          { imageId: unlinked, wnid: CHIHUAHUA },
          OPERATOR,
          "not-found",
          `image ${unlinked} is not linked to ${CHIHUAHUA}`,
        ],
        [{ imageId: rejected, wnid: CHIHUAHUA }, OPERATOR, "conflict", /is rejected for n02085620, not verified/],
        [{ imageId: planted[0], wnid: CHIHUAHUA }, OPERATOR, "conflict", /is candidate for n02085620, not verified/],
      ];
      for (const [input, actor, kind, message] of cases) {
        await expect(sendBackForVotes(t.db, input, actor), JSON.stringify(input)).rejects.toMatchObject({
          kind,
          message: typeof message === "string" ? message : expect.stringMatching(message),
        });
      }
      // Nothing changed for the refused ones.
      expect(await linkOf(chihuahuas[0] as number, CHIHUAHUA)).toMatchObject({ state: "verified" });
      expect(await linkOf(rejected, CHIHUAHUA)).toMatchObject({ state: "rejected" });
    });
  });

  describe("dataset versions keep model-verified images out of val and test", () => {
    it("puts model-verified images and their near-duplicates in train, unless the definition opts in", async () => {
      const m = await model("auto-accepter");
      const people = await images(12);
      const byModel = await images(8);
      // One image people verified, a near-duplicate of one the model verified: it must follow it into train.
      const [twinOfModel, twinOfPeople] = (await images(2, 0x1234_5678_9abc_def0n)) as [number, number];
      await link([...people, twinOfPeople], SHIH_TZU, "verified");
      await link([...byModel, twinOfModel], SHIH_TZU, "verified", { modelVerifiedById: m });
      const definition = {
        name: "shih-tzu",
        classes: { kind: "wnids" as const, wnids: [SHIH_TZU] },
        splits: { mode: "counts" as const, val: 3, test: 3 },
      };
      const splitsOf = async (versionId: number) =>
        new Map(
          (await t.db.datasetItem.findMany({ where: { versionId }, select: { imageId: true, split: true } })).map(
            (i) => [i.imageId, i.split],
          ),
        );

      const strict = await createDatasetVersion(t.db, definition, OPERATOR);
      const strictSplits = await splitsOf(strict.id);
      expect(strictSplits.size).toBe(22);
      for (const id of [...byModel, twinOfModel, twinOfPeople])
        expect(strictSplits.get(id), `image ${id}`).toBe("train");
      // The quotas are met from the images people verified.
      expect(strict.report.counts).toEqual({ train: 16, val: 3, test: 3 });
      expect(strict.report.leakage.pairs).toBe(0);

      const open = await createDatasetVersion(t.db, { ...definition, modelVerifiedInEval: true }, OPERATOR);
      const openSplits = await splitsOf(open.id);
      expect(open.report.counts).toEqual({ train: 16, val: 3, test: 3 });
      // Opted in, the split ignores who verified: with this seed some model-verified image lands in val or test.
      expect(byModel.some((id) => openSplits.get(id) !== "train")).toBe(true);
    });
  });
});

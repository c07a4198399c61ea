import { useTestDatabase } from "@arbor/db/testing";
import { InlineQueue } from "@arbor/jobs";
import type { BlobStore } from "@arbor/storage";
import { describe, expect, it } from "vitest";
import { recountSynsetCounts } from "../image-links/recount-synset-counts.ts";
import { registerJobHandlers } from "../jobs/register-job-handlers.ts";
import { type Actor, OPERATOR } from "../restrictions/viewer.ts";
import {
  CAT,
  CHIHUAHUA,
  candidatesFixture,
  DOG,
  JAPANESE_SPANIEL,
  MALTESE,
  SHIH_TZU,
  TABBY,
} from "./candidates-fixture.ts";
import { type CandidateProgress, executeCandidateRun } from "./execute-candidate-run.ts";
import { getCandidateRun } from "./get-candidate-run.ts";
import { listCandidateRuns } from "./list-candidate-runs.ts";
import { createCandidateRun, startCandidateRun } from "./start-candidate-run.ts";

describe("candidate runs from a model's predictions (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");
  const { researcher, idOf, images, link, model, predict, linkOf, propose } = candidatesFixture(t);

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
      [{ modelId: m, wnid: CHIHUAHUA, minScore: 0.5 }, researcher(), "forbidden", /only admins/],
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
      startCandidateRun({ db: t.db, jobs }, { modelId: m, wnid: CHIHUAHUA, topK: 1 }, researcher()),
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
        key === "$transaction" ? () => Promise.reject(new Error("no space left on device")) : Reflect.get(target, key),
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

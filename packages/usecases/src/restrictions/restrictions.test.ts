import { useTestDatabase } from "@arbor/db/testing";
import { InlineQueue } from "@arbor/jobs";
import type { BlobStore } from "@arbor/storage";
import { beforeAll, describe, expect, it } from "vitest";
import { createDatasetVersion } from "../datasets/create-dataset-version.ts";
import { CIFAR_WNIDS, ingestCifarSubset } from "../datasets/dataset-fixtures.ts";
import { diffDatasetVersions } from "../datasets/diff-dataset-versions.ts";
import { findLeaks } from "../datasets/find-leaks.ts";
import { getDatasetVersion } from "../datasets/get-dataset-version.ts";
import { previewClassSet } from "../datasets/preview-class-set.ts";
import { createExport } from "../exports/create-export.ts";
import { executeExport } from "../exports/execute-export.ts";
import { exportJob } from "../exports/export-job.ts";
import { listExportFiles } from "../exports/get-export.ts";
import { startExport } from "../exports/start-export.ts";
import { getImage } from "../images/get-image.ts";
import { listSynsetImages } from "../images/list-synset-images.ts";
import { openImageBlob } from "../images/open-image-blob.ts";
import { createModel } from "../models/create-model.ts";
import { listImagePredictions } from "../models/get-model.ts";
import { recordPredictions } from "../models/record-predictions.ts";
import { restrictedLabelledSplits } from "./ownership.ts";
import { restrictImages } from "./restrict-images.ts";
import { type Actor, OPERATOR } from "./viewer.ts";
import { visibleImage } from "./visible-image-sql.ts";

const { airplane, bird, cat } = CIFAR_WNIDS;
const query = { descendants: false, limit: 200 } as const;

describe("restricted images and ownership (real PostgreSQL, real CIFAR-10 images)", () => {
  const t = useTestDatabase("arbor_wordnet");
  let blobs: BlobStore;
  let alice: Actor; // a researcher: owns the challenge version below
  let bob: Actor; // another researcher
  let annie: Actor; // an annotator
  let admin: Actor;
  /** Alice's version of cat and bird whose test split is withheld by its definition. */
  let challenge: { id: number; test: number[]; train: number[] };

  const user = async (email: string, roles: Actor["roles"]): Promise<Actor> =>
    t.db.user.create({ data: { email, passwordHash: "unused", roles: [...roles] }, select: { id: true, roles: true } });
  const itemsOf = async (versionId: number, split: string) =>
    (
      await t.db.$queryRaw<{ image_id: number }[]>`
        SELECT image_id FROM dataset_item WHERE version_id = ${versionId} AND split::text = ${split} ORDER BY image_id`
    ).map((r) => r.image_id);
  const listed = async (wnid: string, viewer: Actor | null) =>
    (await listSynsetImages(t.db, wnid, query, viewer)).items.map((i) => i.id);

  beforeAll(async () => {
    ({ blobs } = await ingestCifarSubset(t.db, 10));
    alice = await user("alice@restrictions.test", ["researcher"]);
    bob = await user("bob@restrictions.test", ["researcher"]);
    annie = await user("annie@restrictions.test", ["annotator"]);
    admin = await user("admin@restrictions.test", ["admin"]);
    const version = await createDatasetVersion(
      t.db,
      {
        name: "challenge",
        classes: { kind: "wnids", wnids: [cat, bird] },
        splits: { mode: "counts", val: 2, test: 3 },
        seed: 1,
        withholdLabels: ["test"],
      },
      alice,
    );
    challenge = { id: version.id, test: await itemsOf(version.id, "test"), train: await itemsOf(version.id, "train") };
  }, 120_000);

  it("restricts the splits a definition withholds, when the version is frozen", async () => {
    expect(challenge.test).toHaveLength(6);
    const rows = await t.db.imageRestriction.findMany({ where: { datasetVersionId: challenge.id } });
    expect(rows.map((r) => r.imageId).sort((a, b) => a - b)).toEqual(challenge.test);
    expect(new Set(rows.map((r) => `${r.split}/${r.reason}`))).toEqual(new Set(["test/definition"]));
    // Alice sees what her version withholds; Bob is told which splits' labels he cannot have.
    const mine = await getDatasetVersion(t.db, challenge.id, alice);
    expect(mine).toMatchObject({ restrictedSplits: ["test"], labelsWithheld: [], mayAddVersions: true });
    const his = await getDatasetVersion(t.db, challenge.id, bob);
    expect(his).toMatchObject({ restrictedSplits: ["test"], labelsWithheld: ["test"], mayAddVersions: false });
  });

  it("shows a restricted image's labels, hashes, neighbours and sources to no one but admins and its owner", async () => {
    const restricted = challenge.test[0] as number;
    const sha256 = (await t.db.image.findUniqueOrThrow({ where: { id: restricted } })).sha256;
    for (const viewer of [null, bob, annie]) {
      const detail = await getImage(t.db, restricted, viewer);
      expect(detail).toMatchObject({
        id: restricted,
        labelsWithheld: true,
        sha256: null,
        phash: null,
        synsets: [],
        sources: [],
        nearDuplicates: [],
      });
      expect(JSON.stringify(detail)).not.toContain(sha256);
      expect(JSON.stringify(detail)).not.toMatch(/cifar|n0\d{7}/);
    }
    const owner = await getImage(t.db, restricted, alice);
    expect(owner).toMatchObject({
      labelsWithheld: false,
      sha256,
      synsets: [{ wnid: expect.any(String), state: "verified" }],
    });
    // Where it came from (a path naming its class) is for admins only, even for the owner.
    expect(owner.sources).toEqual([expect.objectContaining({ kind: "folder", locator: null })]);
    const full = await getImage(t.db, restricted, admin);
    expect(full.sources[0]?.locator).toMatch(/\/cifar\/(cat|bird)\/\d{4}\.jpg$/);
    // An image nobody restricts keeps its labels, but still no locator but for admins.
    const open = await getImage(t.db, challenge.train[0] as number, null);
    expect(open).toMatchObject({ labelsWithheld: false, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(open.synsets).toHaveLength(1);
    expect(open.sources).toEqual([expect.objectContaining({ kind: "folder", locator: null })]);
    // The bytes are served as before, under an ETag that is not the sha256.
    const blob = await openImageBlob({ db: t.db, blobs }, restricted, "thumbnail", null);
    blob.stream.destroy();
    expect(blob.etag).not.toContain(sha256);
    expect(blob.etag).not.toContain(sha256.slice(0, 16));
  });

  it("lists a restricted image in a synset's images only for admins and its owner", async () => {
    const restrictedCats = (
      await t.db.$queryRaw<{ id: number }[]>`
        SELECT r.image_id AS id FROM image_restriction r JOIN image_link l ON l.image_id = r.image_id
        JOIN synset s ON s.id = l.synset_id WHERE s.wnid = ${cat}`
    ).map((r) => r.id);
    expect(restrictedCats.length).toBeGreaterThan(0);
    const everyone = await listed(cat, null);
    expect(everyone).toHaveLength(10 - restrictedCats.length);
    for (const id of restrictedCats) expect(everyone).not.toContain(id);
    expect(await listed(cat, bob)).toEqual(everyone);
    expect(await listed(cat, alice)).toHaveLength(10);
    expect(await listed(cat, admin)).toHaveLength(10);
    // With descendants too (the closure path of the query).
    const animals = await listSynsetImages(t.db, "n00015388", { ...query, descendants: true }, null);
    for (const item of animals.items) expect(restrictedCats).not.toContain(item.id);
  });

  it("tells annotators no link states and no predictions, even of images nobody restricts", async () => {
    const open = challenge.train[0] as number;
    const model = await createModel(t.db, { name: "says", architecture: "vgg" }, admin.id);
    const lines = [open, challenge.test[0]]
      .map((imageId) => JSON.stringify({ imageId, wnid: cat, score: 0.99 }))
      .join("\n");
    expect(await recordPredictions(t.db, model.id, lines, admin)).toMatchObject({ accepted: 2 });
    const detail = await getImage(t.db, open, annie);
    expect(detail).toMatchObject({ labelsWithheld: true, synsets: [] });
    expect(detail.sha256).not.toBeNull();
    expect(await listImagePredictions(t.db, open, annie)).toEqual([]);
    expect(await listImagePredictions(t.db, open, bob)).toHaveLength(1);
    const page = await listSynsetImages(t.db, cat, query, annie);
    expect(page.items.length).toBeGreaterThan(0);
    for (const item of page.items) expect(item.state).toBeNull();
    await expect(listSynsetImages(t.db, cat, { ...query, state: "verified" }, annie)).rejects.toMatchObject({
      kind: "forbidden",
    });
    // Predictions about a restricted image: its owner and admins only.
    const restricted = challenge.test[0] as number;
    for (const viewer of [null, bob, annie]) expect(await listImagePredictions(t.db, restricted, viewer)).toEqual([]);
    expect(await listImagePredictions(t.db, restricted, alice)).toHaveLength(1);
    expect(await listImagePredictions(t.db, restricted, admin)).toHaveLength(1);
    await expect(listImagePredictions(t.db, 999_999, null)).rejects.toMatchObject({ kind: "not-found" });
  });

  it("leaves a restricted neighbour out of an image's near-duplicates", async () => {
    const nearOf = async (id: number, viewer: Actor | null) =>
      (await getImage(t.db, id, viewer)).nearDuplicates.map((n) => n.id);
    const copyId = (
      await t.db.image.findFirstOrThrow({
        where: { sources: { some: { locator: { endsWith: "near-duplicate.jpg" } } } },
      })
    ).id;
    const originalId = (
      await t.db.image.findFirstOrThrow({
        where: { sources: { some: { locator: { endsWith: "airplane/0000.jpg" } } } },
      })
    ).id;
    expect(await nearOf(copyId, null)).toContain(originalId);
    await t.db.imageRestriction.create({
      data: { imageId: originalId, datasetVersionId: challenge.id, split: "test", reason: "export" },
    });
    try {
      expect(await nearOf(copyId, null)).not.toContain(originalId);
      expect(await nearOf(copyId, bob)).not.toContain(originalId);
      expect(await nearOf(copyId, alice)).toContain(originalId);
    } finally {
      await t.db.imageRestriction.delete({
        where: { imageId_datasetVersionId: { imageId: originalId, datasetVersionId: challenge.id } },
      });
    }
  });

  it("restricts a version's test split when an export withholds its labels, once", async () => {
    const version = await createDatasetVersion(
      t.db,
      {
        name: "bob-airplanes",
        classes: { kind: "wnids", wnids: [airplane] },
        splits: { mode: "counts", val: 1, test: 2 },
      },
      bob,
    );
    const test = await itemsOf(version.id, "test");
    expect(test.length).toBeGreaterThanOrEqual(2);
    expect(await t.db.imageRestriction.count({ where: { datasetVersionId: version.id } })).toBe(0);
    const options = { format: "jsonl" as const, withholdTestLabels: true };
    await createExport(t.db, { versionId: version.id, options, destination: null, createdById: bob.id });
    await createExport(t.db, { versionId: version.id, options, destination: "/tmp/again", createdById: bob.id });
    const rows = await t.db.imageRestriction.findMany({ where: { datasetVersionId: version.id } });
    expect(rows.map((r) => r.imageId).sort((a, b) => a - b)).toEqual(test);
    expect(rows.every((r) => r.split === "test" && r.reason === "export")).toBe(true);
    expect(await restrictImages(t.db, { versionId: version.id, splits: ["test"], reason: "export" })).toBe(0);
    // Now Alice may not see them, Bob may.
    expect((await getImage(t.db, test[0] as number, alice)).labelsWithheld).toBe(true);
    expect((await getImage(t.db, test[0] as number, bob)).labelsWithheld).toBe(false);
  });

  it("refuses an export with withheld labels to anyone but the owner and admins, and its files likewise", async () => {
    const jobs = new InlineQueue();
    await jobs.work(exportJob, ({ exportId }) => executeExport({ db: t.db, blobs }, exportId));
    const start = (actor: Actor, request: { format: "jsonl"; withholdTestLabels?: boolean }) =>
      startExport({ db: t.db, jobs }, { versionId: challenge.id, request, actor });
    const before = await t.db.export.count();
    await expect(start(bob, { format: "jsonl" })).rejects.toMatchObject({
      kind: "forbidden",
      message: expect.stringMatching(/test split are withheld.*withholdTestLabels/),
    });
    expect(await t.db.export.count()).toBe(before);
    // Without the withheld labels he may.
    const unlabelled = await start(bob, { format: "jsonl", withholdTestLabels: true });
    // The owner and an admin may export them labelled.
    const labelled = await start(alice, { format: "jsonl" });
    await start(admin, { format: "jsonl" });
    await jobs.idle();
    // Bob may not read the files of Alice's labelled export (his own identical one was refused)…
    await expect(listExportFiles({ db: t.db, blobs }, labelled.id, { viewer: bob })).rejects.toMatchObject({
      kind: "forbidden",
    });
    await expect(listExportFiles({ db: t.db, blobs }, labelled.id)).rejects.toMatchObject({ kind: "forbidden" });
    expect((await listExportFiles({ db: t.db, blobs }, labelled.id, { viewer: alice })).length).toBeGreaterThan(0);
    expect((await listExportFiles({ db: t.db, blobs }, labelled.id, { viewer: admin })).length).toBeGreaterThan(0);
    // …but may read his own, unlabelled one.
    expect((await listExportFiles({ db: t.db, blobs }, unlabelled.id, { viewer: bob })).length).toBeGreaterThan(0);
    // A definition that withholds val too: even an export without test labels would carry val's.
    const both = await createDatasetVersion(
      t.db,
      {
        name: "hidden-val",
        classes: { kind: "wnids", wnids: [airplane] },
        splits: { mode: "counts", val: 2, test: 2 },
        withholdLabels: ["val", "test"],
      },
      alice,
    );
    expect(await restrictedLabelledSplits(t.db, bob, both.id, true)).toEqual(["val"]);
    await expect(
      startExport(
        { db: t.db, jobs },
        { versionId: both.id, request: { format: "jsonl", withholdTestLabels: true }, actor: bob },
      ),
    ).rejects.toMatchObject({ kind: "forbidden", message: expect.stringMatching(/val, test splits|val split/) });
  });

  it("does not let a version of one's own carry labels restricted by someone else's", async () => {
    const restrictedCats = challenge.test; // cat and bird images Alice's version withholds
    const definition = { name: "bob-cats", classes: { kind: "wnids" as const, wnids: [cat, bird] } };
    const preview = await previewClassSet(t.db, definition, bob);
    const ownPreview = await previewClassSet(t.db, { ...definition, name: "alice-cats" }, alice);
    const available = (p: typeof preview) => p.classes.reduce((sum, c) => sum + c.available, 0);
    expect(available(ownPreview)).toBe(20);
    expect(available(preview)).toBe(20 - restrictedCats.length);
    const bobs = await createDatasetVersion(t.db, definition, bob);
    expect(bobs.imageCount).toBe(20 - restrictedCats.length);
    const items = await t.db.datasetItem.findMany({ where: { versionId: bobs.id }, select: { imageId: true } });
    for (const { imageId } of items) expect(challenge.test).not.toContain(imageId);
    const alices = await createDatasetVersion(t.db, { ...definition, name: "alice-cats" }, alice);
    expect(alices.imageCount).toBe(20);
  });

  it("lets only a dataset's owner or an admin freeze further versions of it", async () => {
    const definition = { name: "challenge", classes: { kind: "wnids" as const, wnids: [cat] } };
    const versions = await t.db.datasetVersion.count();
    await expect(createDatasetVersion(t.db, definition, bob)).rejects.toMatchObject({
      kind: "forbidden",
      message: "dataset challenge belongs to someone else: only its owner or an admin may change it",
    });
    expect(await t.db.datasetVersion.count()).toBe(versions);
    expect((await createDatasetVersion(t.db, definition, alice)).number).toBe(2);
    expect((await createDatasetVersion(t.db, definition, admin)).number).toBe(3);
    const dataset = await t.db.dataset.findUniqueOrThrow({ where: { name: "challenge" } });
    expect(dataset.createdById).toBe(alice.id);
    // A dataset the operator made (the CLI) has no owner: an admin's to extend.
    await createDatasetVersion(t.db, { ...definition, name: "from-the-cli" }, OPERATOR);
    await expect(createDatasetVersion(t.db, { ...definition, name: "from-the-cli" }, alice)).rejects.toMatchObject({
      kind: "forbidden",
    });
    expect((await createDatasetVersion(t.db, { ...definition, name: "from-the-cli" }, admin)).number).toBe(2);
  });

  it("leaves restricted images out of a diff's moved list and a leakage check's examples", async () => {
    const v2 = await createDatasetVersion(
      t.db,
      {
        name: "challenge",
        classes: { kind: "wnids", wnids: [cat, bird] },
        splits: { mode: "counts", val: 2, test: 3 },
        seed: 2,
      },
      alice,
    );
    const shaOf = new Map(
      (await t.db.image.findMany({ where: { id: { in: challenge.test } }, select: { id: true, sha256: true } })).map(
        (i) => [i.sha256, i.id],
      ),
    );
    const mine = await diffDatasetVersions(t.db, challenge.id, v2.id, alice);
    const his = await diffDatasetVersions(t.db, challenge.id, v2.id, bob);
    expect(mine.moved.some((m) => shaOf.has(m.sha256))).toBe(true);
    expect(his.moved.some((m) => shaOf.has(m.sha256))).toBe(false);
    expect(his.movedTotal).toBe(mine.movedTotal);
    expect(his.moved.length).toBe(mine.moved.length - mine.moved.filter((m) => shaOf.has(m.sha256)).length);

    // A version (made by hand) whose near-duplicate pair straddles splits, one side restricted.
    const near = await t.db.image.findMany({
      where: { sources: { some: { locator: { contains: "/cifar/airplane/" } } } },
      select: { id: true, sources: { select: { locator: true } } },
    });
    const original = near.find((i) => i.sources.some((s) => s.locator.endsWith("airplane/0000.jpg")))?.id as number;
    const copy = near.find((i) => i.sources.some((s) => s.locator.endsWith("near-duplicate.jpg")))?.id as number;
    const dataset = await t.db.dataset.create({ data: { name: "leaky", createdById: alice.id } });
    const leaky = await t.db.datasetVersion.create({
      data: {
        datasetId: dataset.id,
        number: 1,
        definition: {},
        report: {},
        classCount: 1,
        imageCount: 2,
        createdById: alice.id,
      },
    });
    const synset = await t.db.synset.findUniqueOrThrow({ where: { wnid: airplane } });
    await t.db.datasetClass.create({
      data: { versionId: leaky.id, classIndex: 0, synsetId: synset.id, train: 1, val: 0, test: 1 },
    });
    await t.db.datasetItem.createMany({
      data: [
        { versionId: leaky.id, imageId: original, classIndex: 0, split: "train" },
        { versionId: leaky.id, imageId: copy, classIndex: 0, split: "test" },
      ],
    });
    await restrictImages(t.db, { versionId: leaky.id, splits: ["test"], reason: "definition" });
    expect(await findLeaks(t.db, leaky.id, alice)).toMatchObject({ pairs: 1, examples: [expect.any(Object)] });
    expect(await findLeaks(t.db, leaky.id, bob)).toEqual({ pairs: 1, examples: [] });
  });

  it("resumes an unfinished export only for the user who started it", async () => {
    const input = {
      versionId: challenge.id,
      options: { format: "imagefolder" as const },
      destination: "/tmp/resume-e",
    };
    const first = await createExport(t.db, { ...input, createdById: alice.id });
    expect(await createExport(t.db, { ...input, createdById: alice.id })).toEqual({ id: first.id, resumed: true });
    const other = await createExport(t.db, { ...input, createdById: bob.id });
    expect(other).toEqual({ id: expect.any(Number), resumed: false });
    expect(other.id).not.toBe(first.id);
  });

  it("tests restriction with one indexed lookup, and only on a column of the query", async () => {
    expect(() => visibleImage("image_id; DROP TABLE image", null)).toThrow(/not a qualified SQL column/);
    expect(() => visibleImage("id", bob)).toThrow(/not a qualified SQL column/);
    expect(() => visibleImage("restriction_.image_id", bob)).toThrow(/alias of the fragment/);
    // A caller's own alias `r` of image_restriction must not leak into the test (it once did: any restriction
    // of one's own then made every restricted image visible).
    const [row] = await t.db.$queryRaw<{ visible: boolean }[]>`
      SELECT bool_and(${visibleImage("r.image_id", bob)}) AS visible FROM image_restriction r
      WHERE r.dataset_version_id = ${challenge.id}`;
    expect(row?.visible).toBe(false);
    const plan = await t.db.$transaction(async (tx) => {
      await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
      return tx.$queryRaw<{ "QUERY PLAN": string }[]>`
        EXPLAIN SELECT l.image_id FROM image_link l WHERE l.synset_id = 1 AND ${visibleImage("l.image_id", bob)}`;
    });
    const text = plan.map((row) => row["QUERY PLAN"]).join("\n");
    expect(text).toMatch(/image_restriction_pkey/);
    expect(text).not.toMatch(/Seq Scan on image_restriction/);
  });
});

import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { useTestDatabase } from "@arbor/db/testing";
import { type BlobStore, LocalDiskStore } from "@arbor/storage";
import { beforeAll, describe, expect, it } from "vitest";
import { recountSynsetCounts } from "../image-links/recount-synset-counts.ts";
import { getImage } from "../images/get-image.ts";
import { createIngestRun } from "./create-ingest-run.ts";
import { executeIngestRun, type IngestDeps } from "./execute-ingest-run.ts";
import { getIngestRun } from "./get-ingest-run.ts";
import { CHIHUAHUA, makeMessyFolder, reencoded, SAMPLES, SPANIEL, TABBY } from "./ingest-fixtures.ts";
import type { IngestOptionsInput } from "./ingest-options.ts";

describe("ingest from a folder (real PostgreSQL, real images, local blob store)", () => {
  const t = useTestDatabase("arbor_wordnet");
  let blobs: LocalDiskStore;
  let folder: string;

  beforeAll(async () => {
    blobs = await LocalDiskStore.open(await mkdtemp(path.join(tmpdir(), "arbor-blobs-")), {
      publicBaseUrl: "http://localhost",
    });
    folder = await makeMessyFolder();
  });

  const ingest = async (options: IngestOptionsInput, deps: Partial<IngestDeps> = {}) => {
    const run = await createIngestRun(t.db, options);
    await executeIngestRun({ db: t.db, blobs, ...deps }, run.id);
    return getIngestRun(t.db, run.id, { allSkips: true });
  };
  const reasons = (run: Awaited<ReturnType<typeof ingest>>) =>
    Object.fromEntries(run.skips.map((s) => [path.relative(folder, s.item), s.reason]));

  it("ingests the good files and reports every bad one with a reason", async () => {
    const run = await ingest({ kind: "folder", path: folder });
    expect(run).toMatchObject({
      status: "succeeded",
      total: 7,
      processed: 7,
      added: 2,
      duplicates: 0,
      linked: 2,
      skipped: 5,
    });
    expect(reasons(run)).toEqual({
      "n02084071/truncated.jpg": "corrupt",
      "n02084071/notes.txt": "not-an-image",
      "n02084071/bomb.png": "too-many-pixels",
      "n99999999/spaniel.jpg": "unknown-wnid",
      "unlabelled.jpg": "no-synset",
    });
    const dog = await t.db.synsetCount.findFirstOrThrow({ where: { synset: { wnid: "n02084071" } } });
    expect(dog).toMatchObject({ images: 1, candidates: 1, verified: 0, subtreeImages: 1 });
    const animal = await t.db.synsetCount.findFirstOrThrow({ where: { synset: { wnid: "n00015388" } } });
    expect(animal.subtreeImages).toBe(2); // the chihuahua (via dog) and the tabby
    const image = await t.db.image.findFirstOrThrow({ where: { links: { some: { synset: { wnid: "n02084071" } } } } });
    expect(await blobs.head(image.originalKey)).toMatchObject({ bytes: image.bytes });
    expect(await blobs.head(image.thumbnailKey)).not.toBeNull();
  });

  it("adds nothing when run again", async () => {
    const images = await t.db.image.count();
    const run = await ingest({ kind: "folder", path: folder });
    expect(run).toMatchObject({ status: "succeeded", added: 0, duplicates: 2, linked: 0, skipped: 5 });
    expect(await t.db.image.count()).toBe(images);
    expect(await recountSynsetCounts(t.db)).toEqual([]);
  });

  it("imports trusted labels as verified, and the same bytes under another synset as one image with two links", async () => {
    const run = await ingest({ kind: "folder", path: SAMPLES, synset: "n02085620", trusted: true }); // all → Chihuahua
    expect(run.added).toBe(998); // the two sample photos already stored are duplicates
    expect(run.duplicates).toBe(2);
    const chihuahua = await t.db.synsetCount.findFirstOrThrow({ where: { synset: { wnid: "n02085620" } } });
    expect(chihuahua).toMatchObject({ images: 1000, verified: 1000 });
    expect(await recountSynsetCounts(t.db)).toEqual([]);
  }, 180_000);

  it("finishes without duplicates after a run killed half-way", async () => {
    // Three photos never stored before (re-encoded), ingested one per batch; the "process dies" on the
    // second image's blob write, after the first image's batch has committed.
    const dir = await mkdtemp(path.join(tmpdir(), "arbor-crash-"));
    for (const [i, file] of [CHIHUAHUA, SPANIEL, TABBY].entries()) {
      await writeFile(path.join(dir, `photo${i}.jpg`), await reencoded(path.join(SAMPLES, file), 40));
    }
    const stored = new Set<string>();
    const crashing: BlobStore = Object.assign(Object.create(blobs), {
      put: (...args: Parameters<BlobStore["put"]>) => {
        stored.add((args[0].split("/").pop() as string).split(".")[0] as string); // the sha256 in the key
        if (stored.size > 1) throw new Error("process killed");
        return blobs.put(...args);
      },
    });
    const options = { kind: "folder", path: dir, synset: "n02112350" } as const; // griffon: untouched so far
    const crashed = await ingest(options, { blobs: crashing, batchSize: 1 });
    expect(crashed).toMatchObject({ status: "failed", added: 1 });
    expect(crashed.error).toMatch(/process killed/);

    const run = await ingest(options);
    expect(run).toMatchObject({ status: "succeeded", added: 2, duplicates: 1 });
    expect(await t.db.imageLink.count({ where: { synset: { wnid: "n02112350" } } })).toBe(3);
    expect(await t.db.imageSource.count({ where: { locator: { startsWith: dir } } })).toBe(3);
    expect(await recountSynsetCounts(t.db)).toEqual([]);
  });

  it("detects a re-encoded, resized copy as a near duplicate", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "arbor-near-"));
    await writeFile(path.join(dir, "n02085620_copy.jpg"), await reencoded(path.join(SAMPLES, CHIHUAHUA)));
    const run = await ingest({ kind: "folder", path: dir });
    expect(run).toMatchObject({ added: 1, nearDuplicates: 1 });
    const copy = await t.db.image.findFirstOrThrow({ where: { sources: { some: { runId: run.id } } } });
    const original = await t.db.image.findFirstOrThrow({
      where: { sources: { some: { locator: path.join(SAMPLES, CHIHUAHUA) } } },
    });
    const detail = await getImage(t.db, copy.id);
    const match = detail.nearDuplicates.find((n) => n.id === original.id);
    expect(match?.distance).toBeLessThanOrEqual(3);
    expect(run.nearDuplicatePairs).toContainEqual({
      imageId: copy.id,
      otherId: original.id,
      distance: match?.distance,
    });
  });

  it("refuses an unknown run or image as not-found", async () => {
    await expect(getIngestRun(t.db, 999_999)).rejects.toMatchObject({
      kind: "not-found",
      message: "no ingest run 999999",
    });
    await expect(getImage(t.db, 999_999)).rejects.toMatchObject({ kind: "not-found", message: "no image 999999" });
  });
});

import { copyFile, mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { useTestDatabase } from "@arbor/db/testing";
import { analyzeImage } from "@arbor/imaging";
import { LocalDiskStore } from "@arbor/storage";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { recountSynsetCounts } from "../image-links/recount-synset-counts.ts";
import { createIngestRun } from "./create-ingest-run.ts";
import { executeIngestRun } from "./execute-ingest-run.ts";
import { getIngestRun } from "./get-ingest-run.ts";
import { CHIHUAHUA, reencoded, SAMPLES } from "./ingest-fixtures.ts";
import type { IngestOptionsInput } from "./ingest-options.ts";

// The decoder, counted: the real analyzeImage (sharp: header, decode, thumbnail, perceptual hash) behind a
// spy, so the ingest does its real work and the test sees how many times it was asked to.
vi.mock("@arbor/imaging", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@arbor/imaging")>();
  return { ...actual, analyzeImage: vi.fn(actual.analyzeImage) };
});
const decodes = vi.mocked(analyzeImage);

describe("ingest re-runs skip decoding bytes already stored (real PostgreSQL, real photos)", () => {
  const t = useTestDatabase("arbor_wordnet");
  let blobs: LocalDiskStore;
  let folder: string;
  let photos: string[];

  beforeAll(async () => {
    blobs = await LocalDiskStore.open(await mkdtemp(path.join(tmpdir(), "arbor-blobs-")), {
      publicBaseUrl: "http://localhost",
    });
    // Twelve sample photos (named <wnid>_…, so each has its synset) and one of them again under a second
    // name: the same bytes twice in one batch.
    photos = (await readdir(SAMPLES))
      .filter((f) => f.endsWith(".JPEG"))
      .sort()
      .slice(0, 12);
    folder = await mkdtemp(path.join(tmpdir(), "arbor-skip-decode-"));
    for (const file of photos) await copyFile(path.join(SAMPLES, file), path.join(folder, file));
    await copyFile(path.join(SAMPLES, photos[0] as string), path.join(folder, `${photos[0]?.slice(0, 9)}_again.JPEG`));
  });
  // A block, not an arrow returning the mock: vitest would call a returned function as the test's teardown.
  beforeEach(() => {
    decodes.mockClear();
  });

  const ingest = async (options: IngestOptionsInput) => {
    const run = await createIngestRun(t.db, options);
    await executeIngestRun({ db: t.db, blobs }, run.id);
    return getIngestRun(t.db, run.id, { allSkips: true });
  };

  it("decodes each new file once on the first run", async () => {
    const run = await ingest({ kind: "folder", path: folder });
    expect(run).toMatchObject({ status: "succeeded", processed: 13, added: 12, duplicates: 1, linked: 12 });
    // 12 distinct files: the second name of the same bytes is not decoded again.
    expect(decodes).toHaveBeenCalledTimes(12);
  });

  it("decodes nothing when the same folder is run again, and reports the same counts as a decoding run", async () => {
    const images = await t.db.image.count();
    const sources = await t.db.imageSource.count();
    const run = await ingest({ kind: "folder", path: folder });
    // What a re-run always reported: everything a duplicate, nothing added or linked twice, no skip.
    expect(run).toMatchObject({ status: "succeeded", processed: 13, added: 0, duplicates: 13, linked: 0, skipped: 0 });
    // Fails if a known sha256 still goes through sharp.
    expect(decodes).not.toHaveBeenCalled();
    expect(await t.db.image.count()).toBe(images);
    // Sources are unique per (kind, locator, image): the same paths add none, as before.
    expect(await t.db.imageSource.count()).toBe(sources);
    expect(await recountSynsetCounts(t.db)).toEqual([]);
  });

  it("links known bytes to a new synset without decoding them", async () => {
    const griffon = "n02112350"; // no sample photo is a griffon: every link is new
    const run = await ingest({ kind: "folder", path: folder, synset: griffon, trusted: true });
    expect(run).toMatchObject({ status: "succeeded", added: 0, duplicates: 13, linked: 12 });
    expect(decodes).not.toHaveBeenCalled();
    const count = await t.db.synsetCount.findFirstOrThrow({ where: { synset: { wnid: griffon } } });
    expect(count).toMatchObject({ images: 12, verified: 12 });
    expect(await recountSynsetCounts(t.db)).toEqual([]);
  });

  it("decodes exactly the one new file of a folder that is otherwise known", async () => {
    const grown = await mkdtemp(path.join(tmpdir(), "arbor-skip-decode-grown-"));
    for (const file of await readdir(folder)) await copyFile(path.join(folder, file), path.join(grown, file));
    // New bytes: a sample re-encoded (a near duplicate, so its own sha256), under its wnid.
    await writeFile(
      path.join(grown, `${CHIHUAHUA.slice(0, 9)}_new.jpg`),
      await reencoded(path.join(SAMPLES, CHIHUAHUA)),
    );
    const run = await ingest({ kind: "folder", path: grown });
    expect(run).toMatchObject({ status: "succeeded", processed: 14, added: 1, duplicates: 13, skipped: 0 });
    expect(decodes).toHaveBeenCalledTimes(1);
    const added = await t.db.image.findFirstOrThrow({
      where: { sources: { some: { runId: run.id } } },
      orderBy: { id: "desc" },
    });
    // The new one was stored as a full ingest stores it: original and thumbnail in the blob store.
    expect(await blobs.head(added.originalKey)).toMatchObject({ bytes: added.bytes });
    expect(await blobs.head(added.thumbnailKey)).not.toBeNull();
    expect(await t.db.imageSource.count({ where: { runId: run.id } })).toBe(14);
    expect(await recountSynsetCounts(t.db)).toEqual([]);
  });

  it("still applies the run's limits to known bytes (a tighter pixel cap skips them, as a decoding run would)", async () => {
    const run = await createIngestRun(t.db, { kind: "folder", path: folder });
    await executeIngestRun({ db: t.db, blobs, limits: { maxBytes: 50 * 1024 * 1024, maxPixels: 1000 } }, run.id);
    const report = await getIngestRun(t.db, run.id, { allSkips: true });
    expect(report).toMatchObject({ status: "succeeded", added: 0, duplicates: 0, skipped: 13 });
    expect(new Set(report.skips.map((s) => s.reason))).toEqual(new Set(["too-many-pixels"]));
    expect(decodes).not.toHaveBeenCalled();
  });
});

import { PassThrough } from "node:stream";
import { formatChecksums, SPLITS, splitRank } from "@arbor/core";
import { useTestDatabase } from "@arbor/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { createDatasetVersion } from "../datasets/create-dataset-version.ts";
import { ingestCifarSubset } from "../datasets/dataset-fixtures.ts";
import { OPERATOR } from "../restrictions/viewer.ts";
import { writeChecksums } from "./checksums-writer.ts";
import { type ExportImage, forEachImagePage, imagesById, shardOrder } from "./export-images.ts";
import { exportOptionsSchema } from "./export-options.ts";
import { loadExportSource } from "./load-export-source.ts";
import { imagePath, manifestRecord, writeManifest } from "./manifest-writer.ts";

describe("the streamed JSONL manifest (real PostgreSQL, real CIFAR-10 images)", () => {
  const t = useTestDatabase("arbor_wordnet");
  let versionId: number;
  beforeAll(async () => {
    await ingestCifarSubset(t.db, 12);
    versionId = (
      await createDatasetVersion(
        t.db,
        {
          name: "cifar-manifest",
          classes: { kind: "wnids", wnids: ["n02691156", "n02958343", "n01503061", "n02121808"] },
          seed: 2,
          splits: { mode: "fractions", train: 0.5, val: 0.25, test: 0.25 },
        },
        OPERATOR,
      )
    ).id;
  }, 120_000);

  const written = async (split: (typeof SPLITS)[number], options: ReturnType<typeof exportOptionsSchema.parse>) => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (chunk: Buffer) => chunks.push(chunk));
    const result = await writeManifest(t.db, versionId, split, options, out);
    return { text: Buffer.concat(chunks).toString(), result };
  };

  /** Every image of the version, read in pages of 5 (so paging is exercised), sorted by (class, sha256). */
  const allImages = async (): Promise<ExportImage[]> => {
    const source = await loadExportSource(t.db, versionId);
    const images: ExportImage[] = [];
    await forEachImagePage(t.db, source, async (page) => void images.push(...page), 5);
    return images.sort((a, b) => a.classIndex - b.classIndex || (a.sha256 < b.sha256 ? -1 : 1));
  };

  /** What the export wrote before it streamed: every record in memory, sorted, one JSON.stringify each. */
  const inMemory = async (split: (typeof SPLITS)[number], options: ReturnType<typeof exportOptionsSchema.parse>) => {
    const labelled = !(options.withholdTestLabels && split === "test");
    const images = (await allImages()).filter((image) => image.split === split);
    const records = images.map((image) => manifestRecord(image, options, labelled));
    if (!labelled) records.sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1));
    return records.map((r) => `${JSON.stringify(r)}\n`).join("");
  };

  it("writes, line for line, the records the in-memory manifest had, built by PostgreSQL or here", async () => {
    for (const raw of [
      { format: "jsonl" },
      { format: "imagefolder" },
      { format: "jsonl", withholdTestLabels: true },
      { format: "imagefolder", withholdTestLabels: true },
      { format: "jsonl", resize: 16 },
    ]) {
      const options = exportOptionsSchema.parse(raw);
      for (const split of SPLITS) {
        const { text, result } = await written(split, options);
        const expected = await inMemory(split, options);
        expect(text, `${JSON.stringify(raw)} ${split}`).toBe(expected);
        expect(result.rows).toBe(expected.split("\n").length - 1);
        expect(result.rows).toBeGreaterThan(0);
        expect(result.bytes).toBe(Buffer.byteLength(expected));
      }
    }
  });

  it("pages through every image once, as many as the version counts", async () => {
    const source = await loadExportSource(t.db, versionId);
    const images = await allImages();
    expect(images).toHaveLength(source.imageCount);
    expect(new Set(images.map((i) => i.imageId)).size).toBe(source.imageCount);
    const perClass = source.classCounts.map((c) => c.train + c.val + c.test);
    expect(perClass.reduce((a, b) => a + b, 0)).toBe(source.imageCount);
    expect(images.filter((i) => i.split === "val").map((i) => i.wnid)).toContain(source.classes[0]?.wnid);
  });

  it("orders shards as the in-memory sort by splitRank and sha256 did, and reads a shard's rows in that order", async () => {
    const source = await loadExportSource(t.db, versionId);
    const images = await allImages();
    for (const split of SPLITS) {
      const expected = images
        .filter((image) => image.split === split)
        .map((image) => ({ image, rank: splitRank(source.seed ^ 0x5bd1e995, image.sha256) }))
        .sort((a, b) => a.rank - b.rank || (a.image.sha256 < b.image.sha256 ? -1 : 1))
        .map(({ image }) => image);
      const order = await shardOrder(t.db, source, split);
      expect(Array.from(order)).toEqual(expected.map((i) => i.imageId));
      expect(await imagesById(t.db, source, Array.from(order))).toEqual(expected);
    }
  });

  it("writes SHA256SUMS in PostgreSQL as formatChecksums writes the journal and every original at imagePath", async () => {
    const images = await allImages();
    // A journaled file (as a manifest would be) sorts among the images by its path.
    await t.db.exportFile.deleteMany({});
    const exportRow = await t.db.export.create({
      data: { versionId, format: "imagefolder", options: {}, destination: "/tmp/unused" },
    });
    await t.db.exportFile.create({
      data: { exportId: exportRow.id, path: "train.jsonl", sha256: "f".repeat(64), bytes: 1n },
    });
    for (const raw of [{ format: "imagefolder", withholdTestLabels: true }, { format: "jsonl" }]) {
      const options = exportOptionsSchema.parse(raw);
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on("data", (chunk: Buffer) => chunks.push(chunk));
      const written = await writeChecksums(t.db, exportRow.id, versionId, options, out);
      const entries = [
        { path: "train.jsonl", sha256: "f".repeat(64) },
        ...images.map((image) => ({
          path: imagePath(image, options, !(options.withholdTestLabels && image.split === "test")),
          sha256: image.sha256,
        })),
      ];
      const expected = formatChecksums(entries);
      expect(Buffer.concat(chunks).toString(), JSON.stringify(raw)).toBe(expected);
      expect(written.rows).toBe(entries.length);
    }
  });
});

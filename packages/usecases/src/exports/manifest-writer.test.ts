import { PassThrough } from "node:stream";
import { SPLITS } from "@arbor/core";
import { useTestDatabase } from "@arbor/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { createDatasetVersion } from "../datasets/create-dataset-version.ts";
import { ingestCifarSubset } from "../datasets/dataset-fixtures.ts";
import { OPERATOR } from "../restrictions/viewer.ts";
import { exportOptionsSchema } from "./export-options.ts";
import { loadExportSource } from "./load-export-source.ts";
import { manifestRecord, writeManifest } from "./manifest-writer.ts";

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

  /** What the export wrote before it streamed: every record in memory, sorted, one JSON.stringify each. */
  const inMemory = async (split: (typeof SPLITS)[number], options: ReturnType<typeof exportOptionsSchema.parse>) => {
    const labelled = !(options.withholdTestLabels && split === "test");
    const images = (await loadExportSource(t.db, versionId)).images.filter((image) => image.split === split);
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
});

import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeExportFixture } from "../testing/make-export-fixture.ts";
import { tempDir } from "../testing/temp-dir.ts";
import { openExport } from "./open-dataset.ts";
import type { SplitSource } from "./split-source.ts";

async function keys(source: SplitSource, seed: number, shuffle: boolean): Promise<string[]> {
  const out: string[] = [];
  for await (const s of source.epoch({ seed, shuffle })) out.push(`${s.key}:${s.label}`);
  return out;
}

describe("reading exports", () => {
  const tmp = tempDir("split");
  const classes = ["cat", "dog", "ship"];
  beforeAll(() => {
    for (const format of ["imagefolder", "jsonl", "webdataset"] as const) {
      makeExportFixture({
        out: path.join(tmp.dir, format),
        format,
        classes,
        perClass: { train: 20, test: 5 },
        shardSize: 16,
      });
    }
  });
  afterAll(tmp.cleanup);

  it("reads the same labelled images from manifests and from WebDataset shards", async () => {
    const sets = await Promise.all(
      (["imagefolder", "jsonl", "webdataset"] as const).map(async (f) => {
        const ds = await openExport(path.join(tmp.dir, f));
        expect(ds.classes.map((c) => c.wnid)).toEqual(["n02121808", "n02084071", "n04194289"]);
        const train = await ds.split("train");
        expect(train.size).toBe(60);
        return (await keys(train, 0, false)).sort();
      }),
    );
    expect(sets[0]).toHaveLength(60);
    expect(sets[1]).toEqual(sets[0]);
    expect(sets[2]).toEqual(sets[0]);
  });

  it("shuffles by seed: same seed, same order; every image exactly once", async () => {
    for (const f of ["jsonl", "webdataset"] as const) {
      const train = await (await openExport(path.join(tmp.dir, f))).split("train", { shuffleBuffer: 10 });
      const a = await keys(train, 5, true);
      expect(await keys(train, 5, true)).toEqual(a);
      expect(await keys(train, 6, true)).not.toEqual(a);
      expect([...a].sort()).toEqual((await keys(train, 0, false)).sort());
    }
  });

  it("takes a seeded subset that mixes classes", async () => {
    const train = await (await openExport(path.join(tmp.dir, "jsonl"))).split("train", { limit: 12, seed: 1 });
    const labels = new Set((await keys(train, 0, false)).map((k) => k.split(":")[1]));
    expect(train.size).toBe(12);
    expect(labels.size).toBeGreaterThan(1);
  });

  it("rejects a manifest line that breaks the contract, with its line number", async () => {
    const dir = path.join(tmp.dir, "jsonl");
    const ds = await openExport(dir);
    writeFileSync(
      path.join(dir, "test.jsonl"),
      '{"path":"x.jpg","sha256":"nothex","split":"test","width":1,"height":1}\n',
    );
    await expect(ds.split("test")).rejects.toThrow(/test\.jsonl:1/);
  });

  it("refuses a directory without export.json (unfinished export)", async () => {
    await expect(openExport(path.join(tmp.dir, "nowhere"))).rejects.toThrow(/not a finished Arbor export/);
  });
});

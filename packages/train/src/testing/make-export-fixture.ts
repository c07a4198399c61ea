import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  CHECKSUMS_FILE,
  CLASSES_FILE,
  DATASHEET_FILE,
  EXPORT_INFO_FILE,
  type ExportClass,
  type ExportFormat,
  type ExportInfo,
  HIERARCHY_FILE,
  type ManifestRecord,
  manifestFileName,
  type Split,
  shardFileName,
} from "@arbor/core";
import { CIFAR10_JPG, CIFAR10_MAP } from "./shared-data.ts";
import { writeTar } from "./tar-writer.ts";
import { buildHierarchy } from "./wordnet-subset.ts";

export interface FixtureOptions {
  out: string;
  format: ExportFormat;
  /** CIFAR-10 class folder names (default: all ten, in cifar10.map order). */
  classes?: string[];
  /** Images per class and split. train and val come from CIFAR's train folder (disjoint), test from test. */
  perClass: Partial<Record<Split, number>>;
  shardSize?: number;
  withheldTestLabels?: boolean;
}

export function cifarClassMap(): { name: string; wnid: string }[] {
  return readFileSync(CIFAR10_MAP, "utf8")
    .split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"))
    .map((l) => {
      const [name, wnid] = l.trim().split(/\s+/);
      return { name: name as string, wnid: wnid as string };
    });
}

interface Image {
  sha256: string;
  bytes: Buffer;
  classIndex: number;
}

/**
 * Writes an export that follows packages/core/src/export/export-format.ts, from the real CIFAR-10 JPEGs,
 * so the reader is developed and tested against the contract rather than against the exporter's code.
 */
export function makeExportFixture(opts: FixtureOptions): { info: ExportInfo; classes: ExportClass[] } {
  const all = cifarClassMap();
  const chosen = (opts.classes ?? all.map((c) => c.name)).map((name) => {
    const found = all.find((c) => c.name === name);
    if (!found) throw new Error(`not a CIFAR-10 class: ${name}`);
    return found;
  });
  const words = new Map(
    readFileSync(path.join(path.dirname(CIFAR10_JPG), "imagenet-meta/words.txt"), "utf8")
      .split("\n")
      .map((l) => l.split("\t") as [string, string]),
  );
  const classes: ExportClass[] = chosen.map((c, index) => ({
    index,
    wnid: c.wnid,
    lemmas: (words.get(c.wnid) ?? c.name).split(", "),
    gloss: "",
  }));

  const take = (folder: "train" | "test", cls: string, skip: number, n: number): Buffer[] => {
    const dir = path.join(CIFAR10_JPG, folder, cls);
    return readdirSync(dir)
      .sort()
      .slice(skip, skip + n)
      .map((f) => readFileSync(path.join(dir, f)));
  };
  const splits: Partial<Record<Split, Image[]>> = {};
  const seen = new Set<string>(); // an export holds each image once (dedup by sha256)
  for (const split of ["train", "val", "test"] as const) {
    const n = opts.perClass[split];
    if (!n) continue;
    const images: Image[] = [];
    chosen.forEach((c, classIndex) => {
      const bytes =
        split === "test" ? take("test", c.name, 0, n) : take("train", c.name, split === "val" ? 4000 : 0, n);
      for (const b of bytes) {
        const sha256 = createHash("sha256").update(b).digest("hex");
        if (seen.has(sha256)) continue;
        seen.add(sha256);
        images.push({ sha256, bytes: b, classIndex });
      }
    });
    // The contract's manifest order: (classIndex, sha256).
    images.sort((a, b) => a.classIndex - b.classIndex || (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0));
    splits[split] = images;
  }

  const files = new Map<string, Buffer>();
  const withheld = opts.withheldTestLabels ?? false;
  const labelled = (split: Split) => !(withheld && split === "test");
  const shardSize = opts.shardSize ?? 1000;
  for (const [split, images] of Object.entries(splits) as [Split, Image[]][]) {
    const record = (img: Image, p: string): ManifestRecord => ({
      path: p,
      sha256: img.sha256,
      ...(labelled(split) ? { wnid: classes[img.classIndex]?.wnid, classIndex: img.classIndex } : {}),
      split,
      width: 32,
      height: 32,
    });
    if (opts.format === "webdataset") {
      // Shards are shuffled by the exporter in real exports; a fixed interleave keeps classes mixed here too.
      const mixed = [...images].sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1));
      for (let s = 0; s * shardSize < mixed.length; s++) {
        const entries = mixed.slice(s * shardSize, (s + 1) * shardSize).flatMap((img) => {
          const { path: _p, ...meta } = record(img, "");
          return [
            { name: `${img.sha256}.jpg`, data: img.bytes },
            ...(labelled(split) ? [{ name: `${img.sha256}.cls`, data: Buffer.from(String(img.classIndex)) }] : []),
            { name: `${img.sha256}.json`, data: Buffer.from(JSON.stringify(meta)) },
          ];
        });
        files.set(shardFileName(split, s), writeTar(entries));
      }
    } else {
      const lines = images.map((img) => {
        const wnid = classes[img.classIndex]?.wnid as string;
        const rel =
          opts.format === "jsonl"
            ? `images/${img.sha256}.jpg`
            : labelled(split)
              ? `${split}/${wnid}/${img.sha256}.jpg`
              : `${split}/${img.sha256}.jpg`;
        files.set(rel, img.bytes);
        return JSON.stringify(record(img, rel));
      });
      files.set(manifestFileName(split), Buffer.from(`${lines.join("\n")}\n`));
    }
  }
  const trainCounts = classes.map((c) => (splits.train ?? []).filter((i) => i.classIndex === c.index).length);
  files.set(CLASSES_FILE, Buffer.from(JSON.stringify(classes, null, 2)));
  files.set(
    HIERARCHY_FILE,
    Buffer.from(
      JSON.stringify({
        synsets: buildHierarchy(
          chosen.map((c) => c.wnid),
          trainCounts,
        ),
      }),
    ),
  );
  files.set(DATASHEET_FILE, Buffer.from("# CIFAR-10 fixture\n\nBuilt by @arbor/train's tests from CIFAR-10 JPEGs.\n"));
  const sums = [...files.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([p, data]) => `${createHash("sha256").update(data).digest("hex")}  ${p}`);
  const checksums = Buffer.from(`${sums.join("\n")}\n`);
  files.set(CHECKSUMS_FILE, checksums);
  const info: ExportInfo = {
    arborExport: 1,
    format: opts.format,
    dataset: { id: "fixture", name: "cifar10-fixture", version: 1 },
    withheldTestLabels: withheld,
    resize: null,
    shardSize: opts.format === "webdataset" ? shardSize : null,
    counts: { train: splits.train?.length ?? 0, val: splits.val?.length ?? 0, test: splits.test?.length ?? 0 },
    files: sums.length,
    checksumsSha256: createHash("sha256").update(checksums).digest("hex"),
  };
  for (const [rel, data] of files) {
    mkdirSync(path.dirname(path.join(opts.out, rel)), { recursive: true });
    writeFileSync(path.join(opts.out, rel), data);
  }
  writeFileSync(path.join(opts.out, EXPORT_INFO_FILE), JSON.stringify(info, null, 2)); // last, as the exporter does
  return { info, classes };
}

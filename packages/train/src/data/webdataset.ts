import { type ExportClass, type ManifestRecord, manifestRecordSchema, type Split } from "@arbor/core";
import type { ExportReader } from "./export-reader.ts";
import { checkLabel } from "./manifest.ts";
import { readTar } from "./tar-reader.ts";

/** One WebDataset sample: the files of a shard that share a key (`<sha>.jpg`, `<sha>.cls`, `<sha>.json`). */
export interface WdsSample {
  key: string;
  image: Buffer;
  ext: string;
  classIndex: number | undefined;
  record: Omit<ManifestRecord, "path"> | undefined;
}

const IMAGE_EXTS = new Set(["jpg", "jpeg", "png", "webp", "gif", "tif", "tiff", "avif"]);
const recordWithoutPath = manifestRecordSchema.omit({ path: true });

export async function listShards(reader: ExportReader, split: Split): Promise<string[]> {
  const re = new RegExp(`^${split}-\\d{6}\\.tar$`);
  return (await reader.list(`${split}-`)).filter((n) => re.test(n));
}

/** Streams one shard's samples, in shard order, grouping consecutive entries by key (WebDataset's rule). */
export async function* readShardSamples(
  reader: ExportReader,
  shard: string,
  classes: ExportClass[],
): AsyncGenerator<WdsSample> {
  let current: { key: string; files: Map<string, Buffer> } | null = null;
  const finish = (group: { key: string; files: Map<string, Buffer> }): WdsSample => {
    let image: Buffer | undefined;
    let ext = "";
    for (const [e, data] of group.files) {
      if (IMAGE_EXTS.has(e)) {
        image = data;
        ext = e;
      }
    }
    if (!image) throw new Error(`${shard}: sample ${group.key} has no image`);
    const cls = group.files.get("cls");
    const json = group.files.get("json");
    const classIndex = cls ? Number.parseInt(cls.toString("ascii").trim(), 10) : undefined;
    if (classIndex !== undefined && !(Number.isInteger(classIndex) && classIndex >= 0)) {
      throw new Error(`${shard}: sample ${group.key} has a malformed .cls`);
    }
    const record = json ? recordWithoutPath.parse(JSON.parse(json.toString("utf8"))) : undefined;
    if (record) checkLabel(record, classes, `${shard}:${group.key}`);
    if (classIndex !== undefined && classIndex >= classes.length) {
      throw new Error(`${shard}: sample ${group.key} has class ${classIndex}, not in classes.json`);
    }
    return { key: group.key, image, ext, classIndex: classIndex ?? record?.classIndex, record };
  };
  for await (const entry of readTar(reader.stream(shard))) {
    const base = entry.name.slice(entry.name.lastIndexOf("/") + 1);
    const dot = base.indexOf(".");
    if (dot <= 0) continue;
    const dir = entry.name.slice(0, entry.name.length - base.length);
    const key = dir + base.slice(0, dot);
    const ext = base.slice(dot + 1).toLowerCase();
    if (current && current.key !== key) {
      yield finish(current);
      current = null;
    }
    current ??= { key, files: new Map() };
    current.files.set(ext, entry.data);
  }
  if (current) yield finish(current);
}

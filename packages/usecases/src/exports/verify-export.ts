import { createHash } from "node:crypto";
import {
  CHECKSUMS_FILE,
  CLASSES_FILE,
  classesFileSchema,
  EXPORT_INFO_FILE,
  exportInfoSchema,
  manifestFileName,
  manifestRecordSchema,
  parseChecksums,
  SPLITS,
  type Split,
} from "@arbor/core";
import type { ExportTarget } from "./export-target.ts";
import { streamToBuffer } from "./image-file.ts";
import { tarEntries } from "./tar-entries.ts";

export interface ExportCheck {
  ok: boolean;
  problems: string[];
  files: number;
  images: Record<Split, number>;
}

/**
 * Checks an export end to end: sealed by export.json, every file matching SHA256SUMS, nothing extra,
 * manifests or shards that parse and agree with the counts, and no image (sha256) in two splits.
 */
export async function verifyExport(
  target: ExportTarget,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<ExportCheck> {
  const problems: string[] = [];
  const images = { train: 0, val: 0, test: 0 };
  const result = () => ({ ok: problems.length === 0, problems, files: 0, images });
  const existing = await target.existing();
  if (!existing.has(EXPORT_INFO_FILE)) {
    problems.push(`${EXPORT_INFO_FILE} is missing: the export is incomplete (run the export again to finish it)`);
    return result();
  }
  const info = exportInfoSchema.safeParse(JSON.parse((await read(target, EXPORT_INFO_FILE)).toString("utf8")));
  if (!info.success) {
    problems.push(`${EXPORT_INFO_FILE} is not a valid Arbor export description`);
    return result();
  }
  const checksumsText = await read(target, CHECKSUMS_FILE);
  if (sha256(checksumsText) !== info.data.checksumsSha256)
    problems.push(`${CHECKSUMS_FILE} does not match ${EXPORT_INFO_FILE}`);
  const entries = parseChecksums(checksumsText.toString("utf8"));
  const listed = new Set(entries.map((e) => e.path));
  for (const path of existing.keys()) {
    if (!listed.has(path) && path !== CHECKSUMS_FILE && path !== EXPORT_INFO_FILE)
      problems.push(`unexpected file ${path}`);
  }
  let done = 0;
  const splitOf = new Map<string, Split>();
  const seeSample = (sha: string, split: Split, where: string) => {
    const earlier = splitOf.get(sha);
    if (earlier && earlier !== split) problems.push(`image ${sha} is in both ${earlier} and ${split} (${where})`);
    splitOf.set(sha, split);
  };
  const classes = classesFileSchema.parse(JSON.parse((await read(target, CLASSES_FILE)).toString("utf8")));
  for (const entry of entries) {
    if (!existing.has(entry.path)) {
      problems.push(`missing file ${entry.path}`);
      continue;
    }
    const hash = createHash("sha256");
    const shard = /^(train|val|test)-\d{6}\.tar$/.exec(entry.path);
    if (shard) {
      const split = shard[1] as Split;
      const stream = await target.read(entry.path);
      for await (const member of tarEntries(hashing(stream, hash))) {
        const [key, ext] = splitName(member.name);
        if (ext === "json") {
          images[split]++;
          seeSample(key, split, entry.path);
        }
      }
    } else {
      for await (const chunk of await target.read(entry.path)) hash.update(chunk as Buffer);
    }
    if (hash.digest("hex") !== entry.sha256) problems.push(`checksum mismatch: ${entry.path}`);
    onProgress(++done, entries.length);
  }
  if (info.data.format !== "webdataset") {
    for (const split of SPLITS) {
      const lines = (await read(target, manifestFileName(split))).toString("utf8").split("\n").filter(Boolean);
      for (const [i, line] of lines.entries()) {
        const record = manifestRecordSchema.safeParse(JSON.parse(line));
        if (!record.success || record.data.split !== split) {
          problems.push(`${manifestFileName(split)} line ${i + 1} is not a valid record`);
          continue;
        }
        if (!listed.has(record.data.path))
          problems.push(`${manifestFileName(split)} line ${i + 1}: ${record.data.path} is not in the export`);
        if (record.data.classIndex !== undefined && classes[record.data.classIndex]?.wnid !== record.data.wnid) {
          problems.push(`${manifestFileName(split)} line ${i + 1}: class index and wnid disagree`);
        }
        images[split]++;
        seeSample(record.data.sha256, split, manifestFileName(split));
      }
    }
  }
  for (const split of SPLITS) {
    if (images[split] !== info.data.counts[split]) {
      problems.push(`${split}: ${images[split]} images found, ${info.data.counts[split]} expected`);
    }
  }
  return { ok: problems.length === 0, problems, files: entries.length, images };
}

async function* hashing(stream: AsyncIterable<unknown>, hash: ReturnType<typeof createHash>): AsyncGenerator<Buffer> {
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    yield chunk as Buffer;
  }
}

function splitName(name: string): [string, string] {
  const dot = name.indexOf(".");
  return dot < 0 ? [name, ""] : [name.slice(0, dot), name.slice(dot + 1)];
}

async function read(target: ExportTarget, path: string): Promise<Buffer> {
  return streamToBuffer(await target.read(path));
}

function sha256(body: Buffer): string {
  return createHash("sha256").update(body).digest("hex");
}

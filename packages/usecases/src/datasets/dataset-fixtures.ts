import { copyFile, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Db } from "@arbor/db";
import { type BlobStore, LocalDiskStore } from "@arbor/storage";
import sharp from "sharp";
import { createIngestRun } from "../ingest/create-ingest-run.ts";
import { executeIngestRun } from "../ingest/execute-ingest-run.ts";
import { SHARED_DATA_DIR } from "../testing/shared-data.ts";

export const CIFAR_WNIDS = {
  airplane: "n02691156",
  automobile: "n02958343",
  bird: "n01503061",
  cat: "n02121808",
} as const;

/**
 * Ingests `perClass` real CIFAR-10 test images of four classes as verified links, plus one near-duplicate:
 * the first airplane re-encoded at another quality (a different sha256, the same picture), which must never
 * be split from its original.
 */
export async function ingestCifarSubset(
  db: Db,
  perClass: number,
): Promise<{ blobs: BlobStore; nearDuplicate: string }> {
  const root = await mkdtemp(path.join(tmpdir(), "arbor-datasets-"));
  const blobs = new LocalDiskStore(path.join(root, "blobs"), { signingSecret: "test", publicBaseUrl: "http://x" });
  const folder = path.join(root, "cifar");
  const map: string[] = [];
  for (const [name, wnid] of Object.entries(CIFAR_WNIDS)) {
    await mkdir(path.join(folder, name), { recursive: true });
    map.push(`${name}\t${wnid}`);
    for (let i = 0; i < perClass; i++) {
      const file = `${String(i).padStart(4, "0")}.jpg`;
      await copyFile(path.join(SHARED_DATA_DIR, "cifar10-jpg", "test", name, file), path.join(folder, name, file));
    }
  }
  const first = await readFile(path.join(folder, "airplane", "0000.jpg"));
  const nearDuplicate = path.join(folder, "airplane", "near-duplicate.jpg");
  await writeFile(nearDuplicate, await sharp(first).jpeg({ quality: 70 }).toBuffer());
  const mapFile = path.join(root, "cifar.map");
  await writeFile(mapFile, `${map.join("\n")}\n`);
  const run = await createIngestRun(db, { kind: "folder", path: folder, mapFile, trusted: true });
  await executeIngestRun({ db, blobs }, run.id);
  return { blobs, nearDuplicate };
}

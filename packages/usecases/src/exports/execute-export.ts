import { createHash } from "node:crypto";
import { PassThrough } from "node:stream";
import {
  CHECKSUMS_FILE,
  CLASSES_FILE,
  DATASHEET_FILE,
  EXPORT_INFO_FILE,
  type ExportInfo,
  HIERARCHY_FILE,
  manifestFileName,
  SPLITS,
  shardFileName,
} from "@arbor/core";
import type { Db } from "@arbor/db";
import type { BlobStore } from "@arbor/storage";
import { exportHeartbeat, startHeartbeat } from "../runs/stale-runs.ts";
import { writeChecksums } from "./checksums-writer.ts";
import { renderDatasheet } from "./datasheet.ts";
import { type ExportImage, forEachImagePage, imagesById, shardOrder } from "./export-images.ts";
import { type ExportLock, withExportLock } from "./export-lock.ts";
import { type ExportOptions, exportOptionsSchema } from "./export-options.ts";
import { type ExportTarget, openExportTarget } from "./export-target.ts";
import { exportExtension, imageBytes, streamToBuffer } from "./image-file.ts";
import { type ExportSource, loadExportSource } from "./load-export-source.ts";
import { imagePath, manifestRecord, writeManifest } from "./manifest-writer.ts";
import { shardStream } from "./webdataset-shard.ts";

export interface ExportDeps {
  db: Db;
  blobs: BlobStore;
  openBucket?: (bucket: string) => BlobStore;
}

export interface ExportProgress {
  processed: number;
  total: number;
  bytes: number;
}

/** WebDataset shards produced at once (see runExport). */
const SHARD_CONCURRENCY = 4;

/** A file of the export with the work that produces it. */
interface PlannedFile {
  path: string;
  /** Images this file carries (for progress). */
  images: number;
  /** Known in advance for original image bytes: lets a resumed run trust a file of that size without reading it. */
  expected?: { bytes: number; sha256: string };
  produce: () => Promise<{ body: Buffer | NodeJS.ReadableStream; sha256: () => string | Promise<string> }>;
  /** The original's blob, when it is a local file that can be copied as is. */
  sourceFile?: string;
}

/**
 * Writes a version out (see packages/core/src/export/export-format.ts for the layout). Resumable: files
 * already written — recorded in the export_file journal, or present in the target with the expected size —
 * are skipped, and everything is deterministic, so a run killed half-way and re-run gives the same bytes as
 * one clean run. The manifests, SHA256SUMS and finally export.json are written last: export.json's presence
 * means the export is complete.
 *
 * One process at a time per export id (see withExportLock): a second executeExport of an export that is running
 * elsewhere fails within a second (LOCK_GRACE_MS) with a `conflict` naming the process that holds it, and
 * touches neither the row nor the files. The database pool needs a second connection besides the one holding the lock.
 */
export async function executeExport(
  deps: ExportDeps,
  exportId: number,
  onProgress: (progress: ExportProgress) => void = () => {},
): Promise<void> {
  await withExportLock(deps.db, exportId, (lock) => runExport(deps, exportId, onProgress, lock));
}

async function runExport(
  deps: ExportDeps,
  exportId: number,
  onProgress: (progress: ExportProgress) => void,
  lock: ExportLock,
): Promise<void> {
  const { db } = deps;
  const row = await db.export.update({
    where: { id: exportId },
    data: { status: "running", startedAt: new Date(), finishedAt: null, error: null },
  });
  // Stamped every few seconds while this runs: if the process dies, the stale-run sweep marks the row failed.
  // Each beat also proves the lock's connection alive (and keeps it from idling in its transaction).
  let heartbeat: { stop(): void } | undefined;
  const beat = exportHeartbeat(db, exportId);
  try {
    heartbeat = await startHeartbeat(async () => {
      await lock.ping();
      await beat();
    });
    const options = exportOptionsSchema.parse({ ...(row.options as object), format: row.format });
    const source = await loadExportSource(db, row.versionId);
    const target = await openExportTarget(row.destination, exportId, deps.blobs, deps.openBucket);
    const progress: ExportProgress = { processed: 0, total: source.imageCount, bytes: 0 };
    await db.export.update({ where: { id: exportId }, data: { total: progress.total, processed: 0 } });
    let lastReport = 0;
    const report = async (force = false) => {
      lock.assertHeld();
      onProgress(progress);
      if (!force && Date.now() - lastReport < 500) return;
      lastReport = Date.now();
      await db.export.update({
        where: { id: exportId },
        data: { processed: progress.processed, bytes: BigInt(progress.bytes) },
      });
    };

    // Nothing below holds a row per image: images come a page at a time (forEachImagePage), shards carry only
    // their image ids, and SHA256SUMS is written by PostgreSQL from the journal and the version's rows.
    const journal = new Journal(db, exportId);
    const present = await target.presence();
    const write = async (file: PlannedFile) => {
      const bytes = await ensureFile(target, journal, present, file);
      await journal.maybeFlush();
      progress.processed += file.images;
      progress.bytes += bytes;
      await report();
    };
    if (options.format === "webdataset") {
      const shards = await planShards(db, source, options, deps.blobs);
      await journal.load(shards.map((f) => f.path));
      // Shards are built here (tar headers, reads, hashing: CPU), so a few at a time keep the cores busy; 32 at
      // once (the local target's concurrency, right for one small file per image) held 32 shards' buffers.
      await runPool(shards, Math.min(target.concurrency, SHARD_CONCURRENCY), write);
    } else {
      await forEachImagePage(db, source, async (images) => {
        const files = images.map((image) => planImageFile(image, options, deps.blobs));
        // Only re-encoded images are journaled: an original's checksum is its sha256.
        if (options.resize) await journal.load(files.map((f) => f.path));
        await runPool(files, target.concurrency, write);
      });
    }
    await journal.flush();

    if (options.format !== "webdataset") {
      for (const split of SPLITS) {
        // Streamed from a cursor: 1.28 M records never sit in memory at once.
        const path = manifestFileName(split);
        const body = new PassThrough();
        const [, written] = await Promise.all([
          target.write(path, body),
          writeManifest(db, source.versionId, split, options, body),
        ]);
        journal.add(path, written.sha256, written.bytes);
        progress.bytes += written.bytes;
      }
    }
    const meta: Array<[string, Buffer]> = [];
    meta.push([CLASSES_FILE, json(source.classes)]);
    meta.push([HIERARCHY_FILE, json({ synsets: source.hierarchy })]);
    meta.push([DATASHEET_FILE, Buffer.from(renderDatasheet(source, options))]);
    for (const [path, body] of meta) {
      await target.write(path, body);
      journal.add(path, sha256(body), body.length);
      progress.bytes += body.length;
    }
    await journal.flush();

    const sumsBody = new PassThrough();
    const [, checksums] = await Promise.all([
      target.write(CHECKSUMS_FILE, sumsBody),
      writeChecksums(db, exportId, source.versionId, options, sumsBody),
    ]);
    const counts = { train: 0, val: 0, test: 0 };
    for (const perSplit of source.classCounts) for (const split of SPLITS) counts[split] += perSplit[split];
    const info: ExportInfo = {
      arborExport: 1,
      format: options.format,
      dataset: { id: String(source.versionId), name: source.name, version: source.number },
      withheldTestLabels: options.withholdTestLabels,
      resize: options.resize,
      shardSize: options.format === "webdataset" ? options.shardSize : null,
      counts,
      files: checksums.rows,
      checksumsSha256: checksums.sha256,
    };
    lock.assertHeld(); // export.json says "complete": written only by the holder of the lock
    await target.write(EXPORT_INFO_FILE, json(info));
    await target.finish();
    progress.bytes += checksums.bytes;
    await db.export.update({
      where: { id: exportId },
      data: {
        status: "succeeded",
        finishedAt: new Date(),
        error: null,
        processed: progress.processed,
        bytes: BigInt(progress.bytes),
      },
    });
    onProgress(progress);
  } catch (error) {
    // A run that lost its lock leaves the row to whoever may hold it now (or to the stale-run sweep).
    if (lock.held) {
      await db.export.update({
        where: { id: exportId },
        data: {
          status: "failed",
          finishedAt: new Date(),
          error: error instanceof Error ? error.message : String(error),
        },
      });
    }
    throw error;
  } finally {
    heartbeat?.stop();
  }
}

/** Writes a planned file unless a complete copy is already there; returns its size. */
async function ensureFile(
  target: ExportTarget,
  journal: Journal,
  presence: (relativePath: string) => number | undefined,
  file: PlannedFile,
): Promise<number> {
  const present = presence(file.path);
  const journaled = journal.get(file.path);
  if (present !== undefined && journaled && journaled.bytes === present) return present;
  // Original bytes are not journaled: their checksum is the image's sha256, known from the plan.
  if (present !== undefined && file.expected?.bytes === present) return present;
  if (file.expected && file.sourceFile && target.copyFileSync) {
    target.copyFileSync(file.sourceFile, file.path);
    return file.expected.bytes;
  }
  if (present !== undefined && file.expected === undefined) {
    // Written by a run killed before it journaled the file: complete (writes are atomic), so hash what is there.
    const body = await streamToBuffer(await target.read(file.path));
    journal.add(file.path, sha256(body), body.length);
    return body.length;
  }
  const produced = await file.produce();
  const bytes = await target.write(file.path, produced.body as Buffer);
  if (!file.expected) journal.add(file.path, await produced.sha256(), bytes);
  return bytes;
}

const labelled = (image: ExportImage, options: ExportOptions) =>
  !(options.withholdTestLabels && image.split === "test");

/** An ImageFolder or JSONL export's file for one image. */
function planImageFile(image: ExportImage, options: ExportOptions, blobs: BlobStore): PlannedFile {
  return {
    path: imagePath(image, options, labelled(image, options)),
    images: 1,
    expected: options.resize ? undefined : { bytes: image.bytes, sha256: image.sha256 },
    sourceFile: blobs.localPath?.(image.originalKey),
    produce: async () => {
      const bytes = await imageBytes(blobs, image, options);
      return { body: bytes.body as Buffer, sha256: () => bytes.sha256 };
    },
  };
}

/**
 * A WebDataset export's shards: each split's images in shard order (shardOrder), cut every shardSize. A shard
 * holds its image ids only; its rows are read when it is written, so a resumed run reads none for the shards
 * already there.
 */
async function planShards(
  db: Db,
  source: ExportSource,
  options: ExportOptions,
  blobs: BlobStore,
): Promise<PlannedFile[]> {
  const files: PlannedFile[] = [];
  // Original bytes of a local store are read straight into the shard (see shardStream).
  const local = options.resize ? undefined : blobs.localPath?.bind(blobs);
  // The three splits' orders are read side by side (one COPY each, ~15 ms for CIFAR-10's 10,000 test images).
  const orders = await Promise.all(SPLITS.map((split) => shardOrder(db, source, split)));
  for (const [s, split] of SPLITS.entries()) {
    const order = orders[s] as Int32Array;
    for (let start = 0, index = 0; start < order.length; start += options.shardSize, index++) {
      const ids = order.subarray(start, start + options.shardSize);
      files.push({
        path: shardFileName(split, index),
        images: ids.length,
        produce: async () => {
          const images = await imagesById(db, source, Array.from(ids));
          const { stream, sha256: digest } = shardStream(
            images.map((image) => {
              const withLabel = labelled(image, options);
              const { path: _path, ...record } = manifestRecord(image, options, withLabel);
              return {
                key: image.sha256,
                extension: exportExtension(image, options),
                classIndex: withLabel ? image.classIndex : null,
                json: JSON.stringify(record),
                bytes: () => imageBytes(blobs, image, options),
                file: local ? { path: local(image.originalKey), size: image.bytes } : undefined,
              };
            }),
          );
          return { body: stream, sha256: digest };
        },
      });
    }
  }
  return files;
}

/**
 * The checksum journal (export_file): what earlier runs wrote, looked up for the files about to be written
 * (load), and what this run writes, inserted in batches. It holds one page's entries, never the export's.
 */
class Journal {
  private known = new Map<string, { sha256: string; bytes: number }>();
  private pending: Array<{ path: string; sha256: string; bytes: number }> = [];

  constructor(
    private readonly db: Db,
    private readonly exportId: number,
  ) {}

  /** The journaled entries of `paths`, in place of the last ones loaded. */
  async load(paths: readonly string[]): Promise<void> {
    const rows = await this.db.exportFile.findMany({
      where: { exportId: this.exportId, path: { in: [...paths] } },
    });
    this.known = new Map(rows.map((row) => [row.path, { sha256: row.sha256, bytes: Number(row.bytes) }]));
  }

  get(path: string) {
    return this.known.get(path);
  }

  add(path: string, sha256: string, bytes: number): void {
    this.pending.push({ path, sha256, bytes });
  }

  /** Flushes once enough entries are pending; awaited by the writers, so a failed insert fails the export. */
  async maybeFlush(): Promise<void> {
    if (this.pending.length >= 1000) await this.flush();
  }

  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    await this.db.$executeRaw`
      INSERT INTO export_file (export_id, path, sha256, bytes)
      SELECT ${this.exportId}, p, s, b FROM unnest(${batch.map((f) => f.path)}::text[],
        ${batch.map((f) => f.sha256)}::text[], ${batch.map((f) => f.bytes)}::bigint[]) AS t(p, s, b)
      ON CONFLICT (export_id, path) DO UPDATE SET sha256 = EXCLUDED.sha256, bytes = EXCLUDED.bytes`;
  }
}

/**
 * Runs work over items, `concurrency` at a time. Work may be partly synchronous (local copies), so the pool
 * yields to the event loop every few milliseconds: a web app sharing the process keeps answering.
 */
async function runPool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let lastYield = performance.now();
  const worker = async () => {
    while (next < items.length) {
      await work(items[next++] as T);
      if (performance.now() - lastYield > 10) {
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

function json(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
}

function sha256(body: Buffer): string {
  return createHash("sha256").update(body).digest("hex");
}

import { createHash } from "node:crypto";
import type { Db } from "@arbor/db";
import {
  type AnalyzedImage,
  analyzeImage,
  DEFAULT_IMAGE_LIMITS,
  type ImageFormat,
  type ImageLimits,
  ImageRejectedError,
} from "@arbor/imaging";
import type { BlobStore } from "@arbor/storage";
import { ingestRunHeartbeat, startHeartbeat } from "../runs/stale-runs.ts";
import type { AnalyzedItem, KnownItem, NewItem, SkippedItem, StoredImage } from "./analyzed-item.ts";
import { ingestOptionsSchema } from "./ingest-options.ts";
import { openIngestSource } from "./open-ingest-source.ts";
import { ItemReadError, type SourceItem } from "./sources/ingest-source.ts";
import type { FetchLimits } from "./sources/url-list-source.ts";
import { isOwnThumbnail, originalKeyOf, thumbnailKeyOf, writeIngestBatch } from "./write-ingest-batch.ts";

export interface IngestDeps {
  db: Db;
  blobs: BlobStore;
  /** How to read s3:// sources (default: the configured S3 endpoint). */
  openBucket?: (bucket: string) => BlobStore;
  /** Timeout and size cap of URL downloads. */
  fetchLimits?: FetchLimits;
  limits?: ImageLimits;
  /** Items read, and images analysed, at once (sharp decodes on libuv's thread pool). */
  concurrency?: number;
  batchSize?: number;
}

export interface IngestProgress {
  processed: number;
  total: number | null;
  added: number;
  duplicates: number;
  skipped: number;
}

/**
 * Runs an ingest run to the end: streams its source, reads and hashes items concurrently, decodes only those
 * whose sha256 is not an image yet, stores new blobs, and writes batches (the next batch is analysed while the
 * previous one commits). Safe to run again after a crash: the counters restart and everything already stored
 * counts as a duplicate (linked and sourced without a second decode). Never throws for a bad
 * item (it becomes a skip); a failure of the run itself marks it failed with the message. While it runs, its
 * heartbeat is stamped every few seconds (a run whose process dies is then marked failed by the stale-run
 * sweep); a run that ingests nothing says why in its warning.
 */
export async function executeIngestRun(
  deps: IngestDeps,
  runId: number,
  onProgress: (progress: IngestProgress) => void = () => {},
): Promise<void> {
  const { db, blobs } = deps;
  const limits = deps.limits ?? DEFAULT_IMAGE_LIMITS;
  const run = await db.ingestRun.update({
    where: { id: runId },
    data: {
      status: "running",
      startedAt: new Date(),
      finishedAt: null,
      error: null,
      total: null,
      processed: 0,
      added: 0,
      duplicates: 0,
      nearDuplicates: 0,
      linked: 0,
      skipped: 0,
      warning: null,
    },
  });
  let heartbeat: { stop(): void } | undefined;
  try {
    heartbeat = await startHeartbeat(ingestRunHeartbeat(db, runId));
    await db.ingestSkip.deleteMany({ where: { runId } });
    const options = ingestOptionsSchema.parse(run.options);
    const context = { runId, kind: options.kind, state: options.trusted ? "verified" : "candidate" } as const;
    const synsetIds = new Map(
      (await db.synset.findMany({ select: { id: true, wnid: true } })).map((s) => [s.wnid, s.id]),
    );
    if (synsetIds.size === 0) throw new Error("WordNet is not imported yet: run `npx arbor wordnet import` first");
    const source = await openIngestSource(options, deps);
    const total = await source.count();
    await db.ingestRun.update({ where: { id: runId }, data: { total } });
    const progress: IngestProgress = { processed: 0, total, added: 0, duplicates: 0, skipped: 0 };
    const skipReasons = new Map<string, number>();
    onProgress(progress);

    // Each chunk is read and hashed first, its sha256s looked up in one query, and only bytes no image has yet
    // are decoded: a re-run over a folder already ingested decodes nothing (sharp's decode, thumbnail and
    // perceptual hash are most of an ingest's time), yet links and sources are written exactly as before.
    const skip = (item: { locator: string }, reason: string, message: string): SkippedItem => ({
      locator: item.locator,
      reason,
      message,
    });
    const read = async (item: SourceItem): Promise<ReadItem | SkippedItem> => {
      if (item.skip) return skip(item, item.skip.reason, item.skip.message);
      if ("problem" in item.label) return skip(item, "no-synset", item.label.problem);
      const synsetId = synsetIds.get(item.label.wnid);
      if (synsetId === undefined)
        return skip(item, "unknown-wnid", `${item.label.wnid} is not a WordNet 3.0 noun synset`);
      if (item.size !== undefined && item.size > limits.maxBytes) {
        return skip(item, "too-large", `${item.size} bytes is over the ${limits.maxBytes}-byte limit`);
      }
      try {
        const original = await item.read(limits.maxBytes);
        return { locator: item.locator, synsetId, original, sha256: sha256Of(original) };
      } catch (error) {
        if (error instanceof ItemReadError) return skip(item, error.reason, error.message);
        return skip(item, "failed", (error as Error).message);
      }
    };
    const concurrency = deps.concurrency ?? 4;
    /** Reads and hashes a chunk, and looks its sha256s up in one query. */
    const readChunk = async (chunk: readonly SourceItem[]): Promise<ReadChunk> => {
      const items = await mapConcurrent(chunk, concurrency, read);
      const hashes = items.filter((r): r is ReadItem => "sha256" in r).map((r) => r.sha256);
      return { items, stored: await storedImages(db, hashes) };
    };
    /** Decodes the chunk's bytes that are not stored yet; known ones become known items as they are. */
    const decodeChunk = async ({ items, stored }: ReadChunk): Promise<(AnalyzedItem | SkippedItem)[]> => {
      // The same new bytes twice in one chunk (two names for one file) are decoded once.
      const decoding = new Map<string, Promise<AnalyzedImage>>();
      return mapConcurrent(items, concurrency, async (item): Promise<AnalyzedItem | SkippedItem> => {
        if (!("sha256" in item)) return item;
        const known = stored.get(item.sha256);
        if (known) return reuseStored(item, known, limits);
        let image = decoding.get(item.sha256);
        if (!image) {
          image = analyzeImage(item.original, limits);
          decoding.set(item.sha256, image);
        }
        try {
          return { locator: item.locator, synsetId: item.synsetId, image: await image, original: item.original };
        } catch (error) {
          if (error instanceof ImageRejectedError) return skip(item, error.reason, error.message);
          return skip(item, "failed", (error as Error).message);
        }
      });
    };

    const flush = async (results: (AnalyzedItem | SkippedItem)[]) => {
      const items = results.filter((r): r is AnalyzedItem => "image" in r);
      const skips = results.filter((r): r is SkippedItem => "reason" in r);
      await storeNewBlobs(db, blobs, items);
      const written = await writeIngestBatch(db, context, items, skips);
      progress.processed += results.length;
      progress.added += written.added;
      progress.duplicates += written.duplicates;
      progress.skipped += skips.length;
      for (const { reason } of skips) skipReasons.set(reason, (skipReasons.get(reason) ?? 0) + 1);
      onProgress({ ...progress });
    };

    // Three stages overlap: chunk n is read and looked up while chunk n-1 is decoded and chunk n-2 commits, so
    // reading (a download, for URL and S3 sources) still overlaps decoding as when each item did both in turn.
    const batchSize = deps.batchSize ?? 96;
    let writing: Promise<void> = Promise.resolve();
    let decoding: Promise<(AnalyzedItem | SkippedItem)[]> | undefined;
    const write = async (decoded: Promise<(AnalyzedItem | SkippedItem)[]>) => {
      const results = await decoded;
      await writing;
      writing = flush(results);
      // Awaited on the next turn; marked handled now, so a failing write during the next chunk's analysis is
      // not an unhandled rejection (the await still throws it).
      writing.catch(() => {});
    };
    for await (const chunk of chunks(source.items(), batchSize)) {
      const hashed = await readChunk(chunk);
      if (decoding) await write(decoding);
      decoding = decodeChunk(hashed);
      decoding.catch(() => {}); // likewise: awaited by the next write
    }
    if (decoding) await write(decoding);
    await writing;
    await source.cleanup?.();
    const warning = nothingIngestedWarning(progress, skipReasons, source.whyNothing?.() ?? null);
    await db.ingestRun.update({
      where: { id: runId },
      // error: null in case a sweep took this run for dead while it was only slow to beat; it did finish.
      data: { status: "succeeded", finishedAt: new Date(), error: null, warning },
    });
  } catch (error) {
    await db.ingestRun.update({
      where: { id: runId },
      data: { status: "failed", finishedAt: new Date(), error: (error as Error).message },
    });
  } finally {
    heartbeat?.stop();
  }
}

/** What the skips of each reason were, in the warning of a run that ingested nothing. */
const SKIP_PHRASES: Record<string, [one: string, many: string]> = {
  "symlink-outside-roots": ["symlink pointing outside the ingest roots", "symlinks pointing outside the ingest roots"],
  "broken-symlink": ["broken symlink", "broken symlinks"],
  "symlink-loop": ["symlink looping back to a folder above it", "symlinks looping back to a folder above them"],
  "not-a-file": ["entry that is not a regular file", "entries that are not regular files"],
  "no-synset": ["file whose synset could not be told", "files whose synset could not be told"],
  "unknown-wnid": ["file under an unknown wnid", "files under unknown wnids"],
  "not-an-image": ["file that is not an image", "files that are not images"],
};

/**
 * A finished run that stored no image (new or duplicate) says why: what the source found instead (an empty
 * folder, hidden files only…), or what every item was skipped for. Null when something was ingested.
 */
function nothingIngestedWarning(
  progress: IngestProgress,
  skipReasons: ReadonlyMap<string, number>,
  whyNothing: string | null,
): string | null {
  if (progress.added + progress.duplicates > 0) return null;
  if (progress.processed === 0) return `nothing to ingest: ${whyNothing ?? "the source has no items"}`;
  const parts = [...skipReasons]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([reason, n]) => {
      const phrase = SKIP_PHRASES[reason];
      return phrase ? `${n} ${n === 1 ? phrase[0] : phrase[1]}` : `${n} × ${reason}`;
    });
  const all = progress.processed === 1 ? "the one item was" : `all ${progress.processed} items were`;
  return `nothing ingested: ${all} skipped (${parts.join(", ")}); the report lists each with its reason`;
}

/** An item's bytes, read and hashed, before the lookup that decides whether they must be decoded. */
interface ReadItem {
  locator: string;
  synsetId: number;
  original: Buffer;
  sha256: string;
}

/** A chunk read and hashed, with the stored images among its sha256s. */
interface ReadChunk {
  items: (ReadItem | SkippedItem)[];
  stored: Map<string, StoredImage>;
}

function sha256Of(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The stored images among these sha256s, described as the batch writes need them (one query). */
async function storedImages(db: Db, hashes: readonly string[]): Promise<Map<string, StoredImage>> {
  if (hashes.length === 0) return new Map();
  const rows = await db.image.findMany({
    where: { sha256: { in: [...new Set(hashes)] } },
    select: {
      sha256: true,
      phash: true,
      width: true,
      height: true,
      format: true,
      bytes: true,
      thumbnailWidth: true,
      thumbnailHeight: true,
    },
  });
  return new Map(
    rows.map((row) => [
      row.sha256,
      {
        sha256: row.sha256,
        phash: BigInt.asUintN(64, row.phash), // stored signed, analysed unsigned
        width: row.width,
        height: row.height,
        format: row.format as ImageFormat,
        bytes: row.bytes,
        thumbnail: { width: row.thumbnailWidth, height: row.thumbnailHeight },
      },
    ]),
  );
}

/**
 * Known bytes become a known item without a decode. The run's limits still apply, from the stored size (what
 * analyzeImage checks before decoding), so a run with tighter limits skips what it would have skipped before.
 */
function reuseStored(item: ReadItem, image: StoredImage, limits: ImageLimits): KnownItem | SkippedItem {
  let rejection: ImageRejectedError | undefined;
  if (item.original.length > limits.maxBytes) {
    rejection = new ImageRejectedError({ reason: "too-large", bytes: item.original.length, maxBytes: limits.maxBytes });
  } else if (image.width * image.height > limits.maxPixels) {
    const { width, height } = image;
    rejection = new ImageRejectedError({ reason: "too-many-pixels", width, height, maxPixels: limits.maxPixels });
  }
  if (rejection) return { locator: item.locator, reason: rejection.reason, message: rejection.message };
  return { locator: item.locator, synsetId: item.synsetId, image, original: null };
}

/** Stores originals and thumbnails of images the database does not have yet (re-runs write nothing). */
async function storeNewBlobs(db: Db, blobs: BlobStore, items: AnalyzedItem[]): Promise<void> {
  // Known items were stored already; a new one may have been stored meanwhile by the previous batch.
  const decoded = items.filter((i): i is NewItem => i.original !== null);
  if (decoded.length === 0) return;
  const known = new Set(
    (
      await db.image.findMany({
        where: { sha256: { in: decoded.map((i) => i.image.sha256) } },
        select: { sha256: true },
      })
    ).map((r) => r.sha256),
  );
  const fresh = [
    ...new Map(decoded.filter((i) => !known.has(i.image.sha256)).map((i) => [i.image.sha256, i])).values(),
  ];
  // Many writes in flight: each waits mostly on its own fsync, and the disk overlaps them.
  await mapConcurrent(fresh, 32, async ({ image, original }) => {
    await blobs.put(originalKeyOf(image), original, { contentType: `image/${image.format}` });
    if (!isOwnThumbnail(image))
      await blobs.put(thumbnailKeyOf(image), image.thumbnail.data, { contentType: "image/webp" });
  });
}

async function* chunks<T>(source: AsyncIterable<T>, size: number): AsyncIterable<T[]> {
  let chunk: T[] = [];
  for await (const item of source) {
    chunk.push(item);
    if (chunk.length >= size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

async function mapConcurrent<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

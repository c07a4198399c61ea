import type { Db } from "@arbor/db";
import { analyzeImage, DEFAULT_IMAGE_LIMITS, type ImageLimits, ImageRejectedError } from "@arbor/imaging";
import type { BlobStore } from "@arbor/storage";
import { ingestRunHeartbeat, startHeartbeat } from "../runs/stale-runs.ts";
import type { AnalyzedItem, SkippedItem } from "./analyzed-item.ts";
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
  /** Images analysed at once (sharp decodes on libuv's thread pool). */
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
 * Runs an ingest run to the end: streams its source, analyses items concurrently, stores new blobs, and
 * writes batches (the next batch is analysed while the previous one commits). Safe to run again after a
 * crash: the counters restart and everything already stored counts as a duplicate. Never throws for a bad
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

    const analyze = async (item: SourceItem): Promise<AnalyzedItem | SkippedItem> => {
      const skip = (reason: string, message: string): SkippedItem => ({ locator: item.locator, reason, message });
      if (item.skip) return skip(item.skip.reason, item.skip.message);
      if ("problem" in item.label) return skip("no-synset", item.label.problem);
      const synsetId = synsetIds.get(item.label.wnid);
      if (synsetId === undefined) return skip("unknown-wnid", `${item.label.wnid} is not a WordNet 3.0 noun synset`);
      if (item.size !== undefined && item.size > limits.maxBytes) {
        return skip("too-large", `${item.size} bytes is over the ${limits.maxBytes}-byte limit`);
      }
      try {
        const original = await item.read(limits.maxBytes);
        return { locator: item.locator, synsetId, image: await analyzeImage(original, limits), original };
      } catch (error) {
        if (error instanceof ImageRejectedError || error instanceof ItemReadError)
          return skip(error.reason, error.message);
        return skip("failed", (error as Error).message);
      }
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

    const batchSize = deps.batchSize ?? 96;
    let writing: Promise<void> = Promise.resolve();
    for await (const chunk of chunks(source.items(), batchSize)) {
      const results = await mapConcurrent(chunk, deps.concurrency ?? 4, analyze);
      await writing;
      writing = flush(results);
      // Awaited on the next turn; marked handled now, so a failing write during the next chunk's analysis is
      // not an unhandled rejection (the await still throws it).
      writing.catch(() => {});
    }
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

/** Stores originals and thumbnails of images the database does not have yet (re-runs write nothing). */
async function storeNewBlobs(db: Db, blobs: BlobStore, items: AnalyzedItem[]): Promise<void> {
  if (items.length === 0) return;
  const known = new Set(
    (
      await db.image.findMany({ where: { sha256: { in: items.map((i) => i.image.sha256) } }, select: { sha256: true } })
    ).map((r) => r.sha256),
  );
  const fresh = [...new Map(items.filter((i) => !known.has(i.image.sha256)).map((i) => [i.image.sha256, i])).values()];
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

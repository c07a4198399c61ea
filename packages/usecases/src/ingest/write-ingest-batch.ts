import { hashBands, toSignedBigInt64 } from "@arbor/core";
import type { Db } from "@arbor/db";
import { THUMBNAIL_MAX_SIDE } from "@arbor/imaging";
import { contentKey } from "@arbor/storage";
import { applyNewLinkCounts } from "../image-links/apply-new-link-counts.ts";
import { isNearDuplicate, sharesPhashBand } from "../images/near-duplicate-sql.ts";
import type { AnalyzedItem, SkippedItem } from "./analyzed-item.ts";

export interface BatchResult {
  added: number;
  duplicates: number;
  nearDuplicates: number;
  linked: number;
}

export interface BatchContext {
  runId: number;
  kind: "folder" | "csv" | "upload" | "s3";
  state: "candidate" | "verified";
}

export function originalKeyOf(image: AnalyzedItem["image"]): string {
  return contentKey("originals", image.sha256, image.format === "jpeg" ? "jpg" : image.format);
}

const BROWSER_FORMATS = new Set(["jpeg", "png", "webp", "gif"]);

/**
 * An image no larger than a thumbnail, in a format browsers show, is its own thumbnail: no second file
 * (this halves the writes of small-image datasets such as CIFAR).
 */
export function isOwnThumbnail(image: AnalyzedItem["image"]): boolean {
  return image.width <= THUMBNAIL_MAX_SIDE && image.height <= THUMBNAIL_MAX_SIDE && BROWSER_FORMATS.has(image.format);
}

export function thumbnailKeyOf(image: AnalyzedItem["image"]): string {
  return isOwnThumbnail(image) ? originalKeyOf(image) : contentKey("thumbnails", image.sha256, "webp");
}

/**
 * Writes one batch in one transaction: new images (the same sha256 again only adds a source and links),
 * sources, links in the run's state, exact count deltas, the skips, and the run's counters. Blobs are
 * already stored (content-addressed, so a crash before commit leaves only harmless orphans); a re-run
 * after a crash writes nothing twice.
 */
export async function writeIngestBatch(
  db: Db,
  context: BatchContext,
  items: readonly AnalyzedItem[],
  skips: readonly SkippedItem[],
): Promise<BatchResult> {
  return db.$transaction(async (tx) => {
    const result: BatchResult = { added: 0, duplicates: 0, nearDuplicates: 0, linked: 0 };
    if (items.length > 0) {
      const images = items.map((item) => item.image);
      const bands = images.map((image) => hashBands(image.phash));
      const inserted = await tx.$queryRawUnsafe<{ id: number }[]>(
        `INSERT INTO image (sha256, phash, phash_band0, phash_band1, phash_band2, phash_band3, width, height, format,
                            bytes, original_key, thumbnail_key, thumbnail_width, thumbnail_height)
         SELECT * FROM unnest($1::char(64)[], $2::bigint[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[],
                              $8::int[], $9::text[], $10::int[], $11::text[], $12::text[], $13::int[], $14::int[])
         ON CONFLICT (sha256) DO NOTHING RETURNING id`,
        images.map((i) => i.sha256),
        images.map((i) => toSignedBigInt64(i.phash)),
        bands.map((b) => b[0]),
        bands.map((b) => b[1]),
        bands.map((b) => b[2]),
        bands.map((b) => b[3]),
        images.map((i) => i.width),
        images.map((i) => i.height),
        images.map((i) => i.format),
        images.map((i) => i.bytes),
        images.map(originalKeyOf),
        images.map(thumbnailKeyOf),
        images.map((i) => (isOwnThumbnail(i) ? i.width : i.thumbnail.width)),
        images.map((i) => (isOwnThumbnail(i) ? i.height : i.thumbnail.height)),
      );
      result.added = inserted.length;
      result.duplicates = items.length - inserted.length;

      // Lock every image of the batch, in id order: concurrent runs linking the same image serialise here.
      const rows = await tx.$queryRawUnsafe<{ id: number; sha256: string }[]>(
        "SELECT id, sha256 FROM image WHERE sha256 = ANY($1::char(64)[]) ORDER BY id FOR UPDATE",
        [...new Set(images.map((i) => i.sha256))],
      );
      const idOf = new Map(rows.map((r) => [r.sha256, r.id]));
      const imageIds = items.map((item) => idOf.get(item.image.sha256) as number);

      await tx.$executeRawUnsafe(
        `INSERT INTO image_source (image_id, kind, locator, run_id)
         SELECT *, $4::int FROM unnest($1::int[], $2::"IngestKind"[], $3::text[]) ON CONFLICT DO NOTHING`,
        imageIds,
        items.map(() => context.kind),
        items.map((item) => item.locator),
        context.runId,
      );
      const links = await tx.$queryRawUnsafe<{ image_id: number; synset_id: number }[]>(
        `INSERT INTO image_link (image_id, synset_id, state)
         SELECT DISTINCT i, s, $3::"LinkState" FROM unnest($1::int[], $2::int[]) AS t(i, s)
         ON CONFLICT DO NOTHING RETURNING image_id, synset_id`,
        imageIds,
        items.map((item) => item.synsetId),
        context.state,
      );
      result.linked = links.length;
      await applyNewLinkCounts(
        tx,
        links.map((l) => ({ imageId: l.image_id, synsetId: l.synset_id, state: context.state })),
      );

      if (inserted.length > 0) {
        const [near] = await tx.$queryRaw<{ n: number }[]>`
          SELECT count(*)::int AS n FROM image i WHERE i.id = ANY(${inserted.map((r) => r.id)}::int[]) AND EXISTS (
            SELECT 1 FROM image o WHERE o.id <> i.id AND ${sharesPhashBand("o", "i")} AND ${isNearDuplicate("o", "i")})`;
        result.nearDuplicates = near?.n ?? 0;
      }
    }

    if (skips.length > 0) {
      // One row per item even when a source names it twice (e.g. a URL list with a repeated URL).
      const unique = [...new Map(skips.map((s) => [s.locator, s])).values()];
      await tx.$executeRawUnsafe(
        `INSERT INTO ingest_skip (run_id, item, reason, message)
         SELECT $1::int, * FROM unnest($2::text[], $3::text[], $4::text[])
         ON CONFLICT (run_id, item) DO UPDATE SET reason = excluded.reason, message = excluded.message`,
        context.runId,
        unique.map((s) => s.locator),
        unique.map((s) => s.reason),
        unique.map((s) => s.message),
      );
    }
    await tx.ingestRun.update({
      where: { id: context.runId },
      data: {
        processed: { increment: items.length + skips.length },
        added: { increment: result.added },
        duplicates: { increment: result.duplicates },
        nearDuplicates: { increment: result.nearDuplicates },
        linked: { increment: result.linked },
        skipped: { increment: skips.length },
      },
    });
    return result;
  });
}

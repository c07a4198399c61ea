import { type Split, splitRank } from "@arbor/core";
import { copyOutLines, type Db, inlineSql, Prisma } from "@arbor/db";
import { notReserved } from "../challenges/reserved-images-sql.ts";
import type { ExportSource } from "./load-export-source.ts";

/** One image as an export writes it. */
export interface ExportImage {
  imageId: number;
  sha256: string;
  originalKey: string;
  format: string;
  width: number;
  height: number;
  bytes: number;
  classIndex: number;
  wnid: string;
  split: Split;
}

/**
 * Rows per page: ~1 MB of rows in memory, a few dozen milliseconds of query; at 1.28 M images, 256 pages
 * (each an index range scan of dataset_item's primary key, never a sort of the version).
 */
export const IMAGE_PAGE_ROWS = 5_000;

type Source = Pick<ExportSource, "versionId" | "classes">;

/**
 * Every image an export writes, handed to `onPage` a page at a time in image id order (the next page is read
 * while `onPage` works): memory holds two pages, whatever the version's size. Images reserved by another
 * version's challenge phase are left out, as loadExportSource counts them.
 */
export async function forEachImagePage(
  db: Db,
  source: Source,
  onPage: (images: ExportImage[]) => Promise<void>,
  pageRows = IMAGE_PAGE_ROWS,
): Promise<void> {
  const read = (after: number) =>
    readImages(db, source, Prisma.sql`d.image_id > ${after} ORDER BY d.image_id LIMIT ${pageRows}`);
  let next = read(0);
  for (;;) {
    const page = await next;
    if (page.length === 0) return;
    const last = (page[page.length - 1] as ExportImage).imageId;
    next = page.length < pageRows ? Promise.resolve([]) : read(last);
    next.catch(() => {}); // awaited on the next turn; onPage failing first must not leave it unhandled
    await onPage(page);
  }
}

/** The images of `imageIds`, in that order (a WebDataset shard's, see shardOrder). */
export async function imagesById(db: Db, source: Source, imageIds: readonly number[]): Promise<ExportImage[]> {
  const rows = await readImages(db, source, Prisma.sql`d.image_id = ANY(${[...imageIds]}::int[])`);
  const byId = new Map(rows.map((image) => [image.imageId, image]));
  return imageIds.map((id) => {
    const image = byId.get(id);
    if (!image) throw new Error(`image ${id} is no longer in version ${source.versionId}`);
    return image;
  });
}

/**
 * A split's image ids in the seeded random order of its WebDataset shards (so each shard mixes classes, as
 * WebDataset readers expect): by splitRank(seed ^ 0x5bd1e995, sha256), ties (equal ranks: images whose sha256
 * share their first 16 hex digits, 2^-52 at worst) by those digits, then by image id. Held as typed arrays, 24
 * bytes an image (31 MB for ImageNet's 1.28 M training images), instead of a row object each.
 */
export async function shardOrder(db: Db, source: Source & { seed: number }, split: Split): Promise<Int32Array> {
  let ids = new Int32Array(1024);
  let high = new Uint32Array(1024);
  let low = new Uint32Array(1024);
  let ranks = new Float64Array(1024);
  let n = 0;
  const seed = source.seed ^ 0x5bd1e995;
  await copyOutLines(
    db,
    inlineSql(Prisma.sql`
      SELECT d.image_id, left(i.sha256, 16) FROM dataset_item d JOIN image i ON i.id = d.image_id
      WHERE d.version_id = ${source.versionId} AND d.split = ${split}::"DatasetSplit"
        AND ${notReserved("d.image_id", source.versionId)}`),
    (line) => {
      if (n === ids.length) {
        ids = grow(ids, new Int32Array(n * 2));
        high = grow(high, new Uint32Array(n * 2));
        low = grow(low, new Uint32Array(n * 2));
        ranks = grow(ranks, new Float64Array(n * 2));
      }
      const tab = line.indexOf("\t");
      const prefix = line.slice(tab + 1);
      ids[n] = Number(line.slice(0, tab));
      high[n] = Number.parseInt(prefix.slice(0, 8), 16);
      low[n] = Number.parseInt(prefix.slice(8, 16), 16);
      ranks[n] = splitRank(seed, prefix);
      n++;
    },
  );
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort(
    (a, b) =>
      (ranks[a] as number) - (ranks[b] as number) ||
      (high[a] as number) - (high[b] as number) ||
      (low[a] as number) - (low[b] as number) ||
      (ids[a] as number) - (ids[b] as number),
  );
  const sorted = new Int32Array(n);
  for (let i = 0; i < n; i++) sorted[i] = ids[order[i] as number] as number;
  return sorted;
}

function grow<T extends Int32Array | Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/**
 * The version's images matching `where` (SQL after the version's own conditions). COPY's text format, one
 * tab-separated line per row, split here (copyOutLines): a result decoded cell by cell cost ~80 ms of CPU for
 * CIFAR's 10k test rows against ~4 ms for one text column (helper-measured CPU profile). No field can hold a
 * tab, a newline or a backslash: hex, blob keys (A-Z a-z 0-9 . _ = - /), integers, format names (sniffed),
 * split names. The wnid comes from the version's classes, not a join per row.
 */
async function readImages(db: Db, source: Source, where: Prisma.Sql): Promise<ExportImage[]> {
  const wnids = new Map(source.classes.map((c) => [c.index, c.wnid]));
  const images: ExportImage[] = [];
  await copyOutLines(
    db,
    inlineSql(Prisma.sql`
      SELECT i.id, i.sha256, i.original_key, i.format, i.width, i.height, i.bytes, d.class_index, d.split
      FROM dataset_item d JOIN image i ON i.id = d.image_id
      WHERE d.version_id = ${source.versionId} AND ${notReserved("d.image_id", source.versionId)} AND ${where}`),
    (line) => {
      const [imageId, sha256, originalKey, format, width, height, bytes, classIndex, split] = line.split("\t");
      const index = Number(classIndex);
      images.push({
        imageId: Number(imageId),
        sha256: sha256 as string,
        originalKey: originalKey as string,
        format: format as string,
        width: Number(width),
        height: Number(height),
        bytes: Number(bytes),
        classIndex: index,
        wnid: wnids.get(index) as string,
        split: split as Split,
      });
    },
  );
  return images;
}

import { createHash } from "node:crypto";
import { Transform, type Writable } from "node:stream";
import type { ManifestRecord, Split } from "@arbor/core";
import { copyOut, type Db, inlineSql, Prisma } from "@arbor/db";
import { notReserved } from "../challenges/reserved-images-sql.ts";
import type { ExportImage } from "./export-images.ts";
import type { ExportOptions } from "./export-options.ts";
import { exportExtension, exportSize } from "./image-file.ts";

/** Rows per FETCH (--resize): ~1 MB of manifest per round trip; memory holds one page, whatever the size. */
const PAGE_ROWS = 10_000;

type ManifestOptions = Pick<ExportOptions, "format" | "resize" | "withholdTestLabels">;
type ManifestImage = Pick<ExportImage, "sha256" | "format" | "width" | "height" | "classIndex" | "wnid" | "split">;

export function imagePath(image: ManifestImage, options: ManifestOptions, labelled: boolean): string {
  const file = `${image.sha256}.${exportExtension(image, options as ExportOptions)}`;
  if (options.format === "jsonl") return `images/${file}`;
  return labelled ? `${image.split}/${image.wnid}/${file}` : `${image.split}/${file}`;
}

export function manifestRecord(image: ManifestImage, options: ManifestOptions, labelled: boolean): ManifestRecord {
  const size = exportSize(image, options as ExportOptions);
  return {
    path: imagePath(image, options, labelled),
    sha256: image.sha256,
    ...(labelled ? { wnid: image.wnid, classIndex: image.classIndex } : {}),
    split: image.split,
    width: size.width,
    height: size.height,
  };
}

/**
 * A split's manifest rows in manifest order: by (class, sha256), or by sha256 alone for unlabelled test images,
 * which must not hint at classes. Images a challenge phase of another version reserves are left out, as
 * loadExportSource leaves them out.
 */
export function manifestQuery(versionId: number, split: Split, bySha256Only: boolean): Prisma.Sql {
  const order = bySha256Only ? Prisma.sql`i.sha256` : Prisma.sql`d.class_index, i.sha256`;
  return Prisma.sql`
    SELECT i.sha256, i.format, i.width, i.height, d.class_index AS "classIndex", s.wnid, d.split::text AS split
    FROM dataset_item d JOIN image i ON i.id = d.image_id
    JOIN dataset_class c ON c.version_id = d.version_id AND c.class_index = d.class_index
    JOIN synset s ON s.id = c.synset_id
    WHERE d.version_id = ${versionId} AND d.split = ${split}::"DatasetSplit" AND ${notReserved("d.image_id", versionId)}
    ORDER BY ${order}`;
}

/**
 * The same rows as manifestQuery with each manifest line built by PostgreSQL: the bytes are
 * JSON.stringify(manifestRecord(…))'s, keys in the record's order. Every value is hex (sha256), a wnid, a split
 * name, an image format name or an integer, so none needs JSON escaping, and concat() writes it as it is:
 * to_json() per value had made this query take twice as long (1.6 M rows: 7.8 s against 4.2 s). Original sizes
 * only: a resized size is computed in this process (sizeForShortSide).
 */
function manifestLineQuery(versionId: number, split: Split, options: ManifestOptions, labelled: boolean): Prisma.Sql {
  const label = labelled
    ? Prisma.sql`'","wnid":"', s.wnid, '","classIndex":', d.class_index, ',"split":"'`
    : Prisma.sql`'","split":"'`;
  const order = labelled ? Prisma.sql`d.class_index, i.sha256` : Prisma.sql`i.sha256`;
  return Prisma.sql`
    SELECT concat('{"path":"', ${imagePathSql(options, labelled)}, '","sha256":"', i.sha256, ${label},
      d.split::text, '","width":', i.width, ',"height":', i.height, '}') AS line
    FROM dataset_item d JOIN image i ON i.id = d.image_id
    JOIN dataset_class c ON c.version_id = d.version_id AND c.class_index = d.class_index
    JOIN synset s ON s.id = c.synset_id
    WHERE d.version_id = ${versionId} AND d.split = ${split}::"DatasetSplit" AND ${notReserved("d.image_id", versionId)}
    ORDER BY ${order}`;
}

/**
 * imagePath's result in SQL, as concat() arguments over `d` (dataset_item), `i` (image) and `s` (the class's
 * synset): an original's path (a resized image's extension is always jpg, and its path is written by this
 * process). The manifest lines and SHA256SUMS are built with it.
 */
export function imagePathSql(options: Pick<ManifestOptions, "format">, labelled: boolean): Prisma.Sql {
  const extension = Prisma.sql`(CASE i.format WHEN 'jpeg' THEN 'jpg' WHEN 'tiff' THEN 'tif' ELSE i.format END)`;
  const folder =
    options.format === "jsonl"
      ? Prisma.sql`'images/'`
      : labelled
        ? Prisma.sql`d.split::text, '/', s.wnid, '/'`
        : Prisma.sql`d.split::text, '/'`;
  return Prisma.sql`${folder}, i.sha256, '.', ${extension}`;
}

/**
 * COPY's CSV format with a delimiter and a quote character that no line contains (control characters, which
 * JSON never has unescaped) writes each line as it is, then a newline: the JSONL file itself.
 */
const COPY_LINES = "FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02'";

export interface WrittenLines {
  rows: number;
  bytes: number;
  sha256: string;
}

/**
 * Streams the single text column of `query`'s rows to `out` as lines (and ends it): the bytes COPY sends,
 * counted and hashed on the way.
 */
export async function copyLinesTo(db: Db, query: Prisma.Sql, out: Writable): Promise<WrittenLines> {
  const hash = createHash("sha256");
  let rows = 0;
  let bytes = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) rows++;
      done(null, chunk);
    },
  });
  await copyOut(db, inlineSql(query), COPY_LINES, counted, out);
  return { rows, bytes, sha256: hash.digest("hex") };
}

/**
 * Writes one split's JSONL manifest to `out` (and ends it), streamed: this process holds one chunk at a time
 * and waits for `out` to drain, whatever the version's size. With original sizes PostgreSQL writes the lines
 * and COPY sends them (copyOut); with --resize the sizes are computed here, from a cursor a page at a time.
 */
export async function writeManifest(
  db: Db,
  versionId: number,
  split: Split,
  options: ManifestOptions,
  out: Writable,
): Promise<WrittenLines> {
  const labelled = !(options.withholdTestLabels && split === "test");
  if (!options.resize) return copyLinesTo(db, manifestLineQuery(versionId, split, options, labelled), out);
  const hash = createHash("sha256");
  let rows = 0;
  let bytes = 0;
  const account = (chunk: Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) rows++;
  };
  try {
    // The cursor lives in a transaction of its own connection (a frozen version never changes).
    await db.$transaction(
      async (tx) => {
        await tx.$executeRaw`DECLARE manifest_rows NO SCROLL CURSOR FOR ${manifestQuery(versionId, split, !labelled)}`;
        for (;;) {
          const page = await tx.$queryRaw<ManifestImage[]>`
            FETCH FORWARD ${Prisma.raw(String(PAGE_ROWS))} FROM manifest_rows`;
          if (page.length === 0) break;
          let text = "";
          for (const image of page) text += `${JSON.stringify(manifestRecord(image, options, labelled))}\n`;
          const chunk = Buffer.from(text);
          account(chunk);
          if (!out.write(chunk)) await drained(out);
          if (page.length < PAGE_ROWS) break;
        }
      },
      { timeout: 3_600_000, maxWait: 30_000 },
    );
  } catch (error) {
    out.destroy(error as Error);
    throw error;
  }
  await new Promise<void>((resolve, reject) => {
    out.once("error", reject);
    out.end(resolve);
  });
  return { rows, bytes, sha256: hash.digest("hex") };
}

function drained(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      out.off("error", onError);
      resolve();
    };
    const onError = (error: Error) => {
      out.off("drain", onDrain);
      reject(error);
    };
    out.once("drain", onDrain);
    out.once("error", onError);
  });
}

/**
 * Every split's JSONL manifest (what a jsonl or imagefolder export writes), each to the stream `open` gives:
 * the freeze benchmark's measure of the manifest writer against COPY … TO STDOUT.
 */
export async function writeJsonlManifests(
  db: Db,
  versionId: number,
  options: Pick<ManifestOptions, "resize" | "withholdTestLabels">,
  open: (split: Split) => Writable,
): Promise<{ rows: number; bytes: number }> {
  let rows = 0;
  let bytes = 0;
  for (const split of ["train", "val", "test"] as const) {
    const written = await writeManifest(db, versionId, split, { ...options, format: "jsonl" }, open(split));
    rows += written.rows;
    bytes += written.bytes;
  }
  return { rows, bytes };
}

/**
 * The SQL text of every split's manifest rows, for `COPY (…) TO STDOUT` (the baseline the benchmark compares
 * with): the same SELECT as writeManifest's cursors, values inlined (they are integers and split names).
 */
export function manifestCopyQuery(versionId: number): string {
  return (["train", "val", "test"] as const)
    .map((split) => `(${inlineSql(manifestQuery(versionId, split, false))})`)
    .join(" UNION ALL ");
}

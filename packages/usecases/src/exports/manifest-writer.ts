import { createHash } from "node:crypto";
import type { Writable } from "node:stream";
import type { ManifestRecord, Split } from "@arbor/core";
import { type Db, Prisma } from "@arbor/db";
import { notReserved } from "../challenges/reserved-images-sql.ts";
import type { ExportOptions } from "./export-options.ts";
import { exportExtension, exportSize } from "./image-file.ts";
import type { ExportImage } from "./load-export-source.ts";

/** Rows per FETCH: ~1 MB of manifest per round trip; memory holds one page, whatever the version's size. */
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
 * The same rows as manifestQuery with each manifest line built by PostgreSQL (`line`): decoding one text
 * column is a fraction of decoding seven, the writer's main cost after the query (helper-measured at 1.28 M
 * rows). The bytes are JSON.stringify(manifestRecord(…))'s: the keys in the record's order, strings through
 * to_json (whose escapes match JSON.stringify's; these values are hex, wnids, split names and formats anyway),
 * integers as digits. Original sizes only: a resized size is computed here (sizeForShortSide).
 */
function manifestLineQuery(versionId: number, split: Split, options: ManifestOptions, labelled: boolean): Prisma.Sql {
  const extension = Prisma.sql`(CASE i.format WHEN 'jpeg' THEN 'jpg' WHEN 'tiff' THEN 'tif' ELSE i.format END)`;
  const file = Prisma.sql`i.sha256 || '.' || ${extension}`;
  const path =
    options.format === "jsonl"
      ? Prisma.sql`'images/' || ${file}`
      : labelled
        ? Prisma.sql`d.split::text || '/' || s.wnid || '/' || ${file}`
        : Prisma.sql`d.split::text || '/' || ${file}`;
  const label = labelled
    ? Prisma.sql`',"wnid":' || to_json(s.wnid)::text || ',"classIndex":' || d.class_index::text ||`
    : Prisma.empty;
  const order = labelled ? Prisma.sql`d.class_index, i.sha256` : Prisma.sql`i.sha256`;
  return Prisma.sql`
    SELECT '{"path":' || to_json(${path})::text || ',"sha256":' || to_json(i.sha256)::text || ${label}
      ',"split":' || to_json(d.split::text)::text || ',"width":' || i.width::text || ',"height":' || i.height::text
      || E'}\n' AS line
    FROM dataset_item d JOIN image i ON i.id = d.image_id
    JOIN dataset_class c ON c.version_id = d.version_id AND c.class_index = d.class_index
    JOIN synset s ON s.id = c.synset_id
    WHERE d.version_id = ${versionId} AND d.split = ${split}::"DatasetSplit" AND ${notReserved("d.image_id", versionId)}
    ORDER BY ${order}`;
}

export interface WrittenManifest {
  rows: number;
  bytes: number;
  sha256: string;
}

/**
 * Writes one split's JSONL manifest to `out` (and ends it) from a server-side cursor, one page at a time:
 * the manifest of 1.28 M images was a 1.28 M-element array of records and then one string before; now this
 * process holds one page of rows and one chunk of lines, and waits for `out` to drain (a slow target slows
 * the cursor down, nothing piles up). The lines are JSON.stringify's of manifestRecord, the same bytes as
 * before. The cursor lives in a transaction of its own connection (a frozen version never changes).
 */
export async function writeManifest(
  db: Db,
  versionId: number,
  split: Split,
  options: ManifestOptions,
  out: Writable,
): Promise<WrittenManifest> {
  const labelled = !(options.withholdTestLabels && split === "test");
  const hash = createHash("sha256");
  let rows = 0;
  let bytes = 0;
  try {
    await db.$transaction(
      async (tx) => {
        const query = options.resize
          ? manifestQuery(versionId, split, !labelled)
          : manifestLineQuery(versionId, split, options, labelled);
        await tx.$executeRaw`DECLARE manifest_rows NO SCROLL CURSOR FOR ${query}`;
        for (;;) {
          const page = await tx.$queryRaw<Array<ManifestImage & { line?: string }>>`
            FETCH FORWARD ${Prisma.raw(String(PAGE_ROWS))} FROM manifest_rows`;
          if (page.length === 0) break;
          let text = "";
          if (options.resize)
            for (const image of page) text += `${JSON.stringify(manifestRecord(image, options, labelled))}\n`;
          else for (const row of page) text += row.line;
          const chunk = Buffer.from(text);
          hash.update(chunk);
          rows += page.length;
          bytes += chunk.length;
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
    .map((split) => {
      const query = manifestQuery(versionId, split, false);
      const text = query.text.replace(/\$(\d+)/g, (_, n: string) => {
        const value = query.values[Number(n) - 1];
        if (typeof value === "number") return String(value);
        if (value === split) return `'${split}'`;
        throw new Error(`cannot inline ${JSON.stringify(value)}`);
      });
      return `(${text})`;
    })
    .join(" UNION ALL ");
}

import type { Writable } from "node:stream";
import { SPLITS } from "@arbor/core";
import { type Db, Prisma } from "@arbor/db";
import { notReserved } from "../challenges/reserved-images-sql.ts";
import type { ExportOptions } from "./export-options.ts";
import { copyLinesTo, imagePathSql, type WrittenLines } from "./manifest-writer.ts";

/**
 * Streams an export's SHA256SUMS to `out` (and ends it), built by PostgreSQL: `<sha256>  <path>` for every
 * file, sorted by path in byte order (what formatChecksums writes, for these ASCII paths). The files are the
 * journal's (export_file: shards, re-encoded images, manifests, the metadata files) and, when the images
 * are their original bytes, every image at its path with its own sha256, which is known without reading it
 * and so is never journaled. At 1.28 M images the list is ~160 MB of text that never sits in memory.
 */
export function writeChecksums(
  db: Db,
  exportId: number,
  versionId: number,
  options: Pick<ExportOptions, "format" | "resize" | "withholdTestLabels">,
  out: Writable,
): Promise<WrittenLines> {
  const originals =
    options.format === "webdataset" || options.resize
      ? []
      : SPLITS.map((split) => {
          const labelled = !(options.withholdTestLabels && split === "test");
          return Prisma.sql`
            SELECT concat(${imagePathSql(options, labelled)}) AS path, i.sha256::text AS sha256
            FROM dataset_item d JOIN image i ON i.id = d.image_id
            JOIN dataset_class c ON c.version_id = d.version_id AND c.class_index = d.class_index
            JOIN synset s ON s.id = c.synset_id
            WHERE d.version_id = ${versionId} AND d.split = ${split}::"DatasetSplit"
              AND ${notReserved("d.image_id", versionId)}`;
        });
  const files = [Prisma.sql`SELECT path, sha256 FROM export_file WHERE export_id = ${exportId}`, ...originals];
  return copyLinesTo(
    db,
    Prisma.sql`SELECT concat(sha256, '  ', path) FROM (${Prisma.join(files, " UNION ALL ")}) f
      ORDER BY path COLLATE "C"`,
    out,
  );
}

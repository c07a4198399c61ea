import {
  buildHierarchyFile,
  datasetDefinitionSchema,
  type ExportClass,
  type HierarchySynset,
  type Split,
} from "@arbor/core";
import { copyOutLines, type Db, inlineSql, Prisma } from "@arbor/db";
import { notReserved } from "../challenges/reserved-images-sql.ts";

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

export interface ExportSource {
  versionId: number;
  name: string;
  number: number;
  createdAt: Date;
  seed: number;
  definition: unknown;
  report: Record<string, unknown>;
  classes: ExportClass[];
  classCounts: Array<Record<Split, number>>;
  hierarchy: HierarchySynset[];
  /** Sorted by (class index, sha256). */
  images: ExportImage[];
  sources: Array<{ kind: string; images: number }>;
  licences: Array<{ licence: string; images: number }>;
}

/**
 * Everything an export writes. A frozen version never changes, so its queries need no common snapshot and
 * run side by side on the pool. Images a challenge phase of another version reserves (its hidden split, until
 * released) are left out, and the counts are those of what is written.
 */
export async function loadExportSource(db: Db, versionId: number): Promise<ExportSource> {
  const unreserved = notReserved("d.image_id", versionId);
  const versionQuery = db.datasetVersion.findUniqueOrThrow({
    where: { id: versionId },
    include: {
      dataset: { select: { name: true } },
      classes: {
        include: { synset: { select: { wnid: true, lemmas: true, gloss: true } } },
        orderBy: { classIndex: "asc" },
      },
    },
  });
  // COPY's text format, one tab-separated line per row, split here (copyOutLines): a result decoded cell by
  // cell cost ~80 ms of CPU for CIFAR's 10k test rows against ~4 ms for one text column (helper-measured CPU
  // profile), and COPY skips the result rows altogether. No field can hold a tab, a newline or a backslash:
  // hex, blob keys (A-Z a-z 0-9 . _ = - /), integers, format names (sniffed), wnids, split names. Sorted
  // here, not by ORDER BY: PostgreSQL's sort on the char(64) sha256 took ~50 ms of 10k CIFAR rows,
  // JavaScript's ~4 ms (helper-measured); hex compares the same under "C" and code units.
  const imagesQuery = (async () => {
    const images: ExportImage[] = [];
    await copyOutLines(
      db,
      inlineSql(Prisma.sql`
        SELECT i.id, i.sha256, i.original_key, i.format, i.width, i.height, i.bytes, d.class_index, s.wnid, d.split
        FROM dataset_item d JOIN image i ON i.id = d.image_id
        JOIN dataset_class c ON c.version_id = d.version_id AND c.class_index = d.class_index
        JOIN synset s ON s.id = c.synset_id
        WHERE d.version_id = ${versionId} AND ${unreserved}`),
      (line) => images.push(parseImageLine(line)),
    );
    return images.sort(byClassThenSha256);
  })();
  const ancestorsQuery = db.$queryRaw<{ id: number; wnid: string; lemmas: string[]; gloss: string }[]>`
      SELECT DISTINCT s.id, s.wnid, s.lemmas, s.gloss FROM dataset_class c
      JOIN synset_closure x ON x.descendant_id = c.synset_id JOIN synset s ON s.id = x.ancestor_id
      WHERE c.version_id = ${versionId}`;
  const edgesQuery = db.$queryRaw<{ parent: string; child: string }[]>`
      WITH involved AS (
        SELECT DISTINCT x.ancestor_id AS id FROM dataset_class c
        JOIN synset_closure x ON x.descendant_id = c.synset_id WHERE c.version_id = ${versionId})
      SELECT p.wnid AS parent, c.wnid AS child FROM synset_edge e
      JOIN involved ip ON ip.id = e.parent_id JOIN involved ic ON ic.id = e.child_id
      JOIN synset p ON p.id = e.parent_id JOIN synset c ON c.id = e.child_id
      ORDER BY p.wnid, c.wnid`;
  const sourcesQuery = db.$queryRaw<{ kind: string; images: number }[]>`
      SELECT s.kind::text AS kind, count(DISTINCT s.image_id)::int AS images FROM dataset_item d
      JOIN image_source s ON s.image_id = d.image_id WHERE d.version_id = ${versionId} AND ${unreserved}
      GROUP BY s.kind ORDER BY s.kind`;
  const licencesQuery = db.$queryRaw<{ licence: string; images: number }[]>`
      SELECT coalesce(i.license, 'unknown') AS licence, count(*)::int AS images FROM dataset_item d
      JOIN image i ON i.id = d.image_id WHERE d.version_id = ${versionId} AND ${unreserved}
      GROUP BY 1 ORDER BY 2 DESC, 1`;
  const [version, images, ancestors, edges, sources, licences] = await Promise.all([
    versionQuery,
    imagesQuery,
    ancestorsQuery,
    edgesQuery,
    sourcesQuery,
    licencesQuery,
  ]);
  // Counted from the images written (a reserved image is in the version's counts, not in the export).
  const classCounts = version.classes.map(() => ({ train: 0, val: 0, test: 0 }));
  const positionOf = new Map(version.classes.map((c, i) => [c.classIndex, i]));
  for (const image of images) {
    const counts = classCounts[positionOf.get(image.classIndex) as number];
    if (counts) counts[image.split]++;
  }
  const classes = version.classes.map((c) => ({
    index: c.classIndex,
    wnid: c.synset.wnid,
    lemmas: c.synset.lemmas,
    gloss: c.synset.gloss,
  }));
  return {
    versionId,
    name: version.dataset.name,
    number: version.number,
    createdAt: version.createdAt,
    seed: datasetDefinitionSchema.parse(version.definition).seed,
    definition: version.definition,
    report: version.report as Record<string, unknown>,
    classes,
    classCounts,
    hierarchy: buildHierarchyFile({
      classes: version.classes.map((c, i) => ({ wnid: c.synset.wnid, trainImages: classCounts[i]?.train ?? 0 })),
      synsets: ancestors,
      edges,
    }),
    images,
    sources,
    licences,
  };
}

function parseImageLine(line: string): ExportImage {
  const [imageId, sha256, originalKey, format, width, height, bytes, classIndex, wnid, split] = line.split("\t");
  return {
    imageId: Number(imageId),
    sha256: sha256 as string,
    originalKey: originalKey as string,
    format: format as string,
    width: Number(width),
    height: Number(height),
    bytes: Number(bytes),
    classIndex: Number(classIndex),
    wnid: wnid as string,
    split: split as Split,
  };
}

function byClassThenSha256(a: ExportImage, b: ExportImage): number {
  return a.classIndex - b.classIndex || (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0);
}

import {
  buildHierarchyFile,
  datasetDefinitionSchema,
  type ExportClass,
  type HierarchySynset,
  type Split,
} from "@arbor/core";
import type { Db } from "@arbor/db";
import { notReserved } from "../challenges/reserved-images-sql.ts";

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
  /** Images written (the version's, less any another version's challenge reserves); streamed by export-images.ts. */
  imageCount: number;
  sources: Array<{ kind: string; images: number }>;
  licences: Array<{ licence: string; images: number }>;
}

/**
 * Everything an export writes but the images, which are streamed a page at a time (export-images.ts), so
 * memory does not grow with the version. A frozen version never changes, so its queries need no common
 * snapshot and run side by side on the pool. Images a challenge phase of another version reserves (its
 * hidden split, until released) are left out, and the counts are those of what is written.
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
  // Per class and split, counted in PostgreSQL: a version may hold millions of images.
  const countsQuery = db.$queryRaw<{ class_index: number; split: Split; images: number }[]>`
      SELECT d.class_index, d.split::text AS split, count(*)::int AS images FROM dataset_item d
      WHERE d.version_id = ${versionId} AND ${unreserved} GROUP BY 1, 2`;
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
  const [version, counts, ancestors, edges, sources, licences] = await Promise.all([
    versionQuery,
    countsQuery,
    ancestorsQuery,
    edgesQuery,
    sourcesQuery,
    licencesQuery,
  ]);
  // Counted from the images written (a reserved image is in the version's counts, not in the export).
  const classCounts = version.classes.map(() => ({ train: 0, val: 0, test: 0 }));
  const positionOf = new Map(version.classes.map((c, i) => [c.classIndex, i]));
  let imageCount = 0;
  for (const row of counts) {
    const perSplit = classCounts[positionOf.get(row.class_index) as number];
    if (perSplit) perSplit[row.split] += row.images;
    imageCount += row.images;
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
    imageCount,
    sources,
    licences,
  };
}

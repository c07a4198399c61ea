import { diffVersions, type VersionItem } from "@arbor/core";
import type { Db } from "@arbor/db";
import { notFound } from "../errors.ts";
import type { Viewer } from "../restrictions/viewer.ts";
import { visibleImage } from "../restrictions/visible-image-sql.ts";
import type { DatasetDiff } from "./dataset-schemas.ts";

async function load(
  db: Db,
  versionId: number,
  viewer: Viewer,
): Promise<{ classes: string[]; items: VersionItem[]; visible: VersionItem[] }> {
  const exists = await db.datasetVersion.findUnique({ where: { id: versionId }, select: { id: true } });
  if (!exists) throw notFound(`no dataset version ${versionId}`);
  const classes = await db.$queryRaw<{ wnid: string }[]>`
    SELECT s.wnid FROM dataset_class c JOIN synset s ON s.id = c.synset_id
    WHERE c.version_id = ${versionId} ORDER BY c.class_index`;
  const rows = await db.$queryRaw<(VersionItem & { visible: boolean })[]>`
    SELECT i.sha256, s.wnid, d.split::text AS split, ${visibleImage("d.image_id", viewer)} AS visible
    FROM dataset_item d
    JOIN image i ON i.id = d.image_id
    JOIN dataset_class c ON c.version_id = d.version_id AND c.class_index = d.class_index
    JOIN synset s ON s.id = c.synset_id
    WHERE d.version_id = ${versionId}`;
  const items = rows.map(({ sha256, wnid, split }) => ({ sha256, wnid, split }));
  return { classes: classes.map((c) => c.wnid), items, visible: items.filter((_, i) => rows[i]?.visible) };
}

/**
 * Classes and images added, removed and moved (class or split) from one version to another. Images restricted
 * for the viewer are counted but never listed among the moved ones (sha256, class and split: their label).
 */
export async function diffDatasetVersions(db: Db, from: number, to: number, viewer: Viewer): Promise<DatasetDiff> {
  const [a, b] = await Promise.all([load(db, from, viewer), load(db, to, viewer)]);
  // Whether an image is restricted does not depend on the version, so the moved images the viewer may see
  // are exactly those that moved among the images they may see.
  const { moved } = diffVersions(
    { classes: a.classes, items: a.visible },
    { classes: b.classes, items: b.visible },
    200,
  );
  return { from, to, ...diffVersions(a, b, 0), moved };
}

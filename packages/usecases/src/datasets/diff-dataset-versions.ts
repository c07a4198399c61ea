import { diffVersions, type Split, type VersionItem } from "@arbor/core";
import type { Db } from "@arbor/db";
import { notFound } from "../errors.ts";
import type { DatasetDiff } from "./dataset-schemas.ts";

async function load(db: Db, versionId: number): Promise<{ classes: string[]; items: VersionItem[] }> {
  const exists = await db.datasetVersion.findUnique({ where: { id: versionId }, select: { id: true } });
  if (!exists) throw notFound(`no dataset version ${versionId}`);
  const classes = await db.$queryRaw<{ wnid: string }[]>`
    SELECT s.wnid FROM dataset_class c JOIN synset s ON s.id = c.synset_id
    WHERE c.version_id = ${versionId} ORDER BY c.class_index`;
  const items = await db.$queryRaw<{ sha256: string; wnid: string; split: Split }[]>`
    SELECT i.sha256, s.wnid, d.split::text AS split FROM dataset_item d
    JOIN image i ON i.id = d.image_id
    JOIN dataset_class c ON c.version_id = d.version_id AND c.class_index = d.class_index
    JOIN synset s ON s.id = c.synset_id
    WHERE d.version_id = ${versionId}`;
  return { classes: classes.map((c) => c.wnid), items };
}

/** Classes and images added, removed and moved (class or split) from one version to another. */
export async function diffDatasetVersions(db: Db, from: number, to: number): Promise<DatasetDiff> {
  const [a, b] = await Promise.all([load(db, from), load(db, to)]);
  return { from, to, ...diffVersions(a, b, 200) };
}

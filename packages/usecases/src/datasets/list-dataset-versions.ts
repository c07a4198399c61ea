import type { Db } from "@arbor/db";
import type { DatasetVersionSummary } from "./dataset-schemas.ts";

/** Every version of every dataset, newest first. */
export async function listDatasetVersions(db: Db): Promise<DatasetVersionSummary[]> {
  const rows = await db.datasetVersion.findMany({
    include: { dataset: { select: { name: true } }, createdBy: { select: { email: true } } },
    orderBy: { id: "desc" },
    take: 500,
  });
  return rows.map((v) => ({
    id: v.id,
    datasetId: v.datasetId,
    name: v.dataset.name,
    number: v.number,
    classCount: v.classCount,
    imageCount: v.imageCount,
    createdAt: v.createdAt.toISOString(),
    createdBy: v.createdBy?.email ?? null,
  }));
}

import type { Db } from "@arbor/db";
import type { BlobStore } from "@arbor/storage";
import type { ExportSummary } from "../datasets/dataset-schemas.ts";
import { openExportTarget } from "./export-target.ts";
import { toExportSummary } from "./to-export-summary.ts";

export async function getExport(db: Db, id: number): Promise<ExportSummary | null> {
  const row = await db.export.findUnique({ where: { id } });
  return row ? toExportSummary(row) : null;
}

/** The files of a finished export with download URLs valid for an hour (none for a local directory). */
export async function listExportFiles(
  deps: { db: Db; blobs: BlobStore; openBucket?: (bucket: string) => BlobStore },
  id: number,
): Promise<Array<{ path: string; bytes: number; url: string | null }> | null> {
  const row = await deps.db.export.findUnique({ where: { id }, select: { destination: true, status: true } });
  if (!row) return null;
  if (row.status !== "succeeded") return [];
  const target = await openExportTarget(row.destination, id, deps.blobs, deps.openBucket);
  const files = await deps.db.exportFile.findMany({ where: { exportId: id }, orderBy: { path: "asc" }, take: 2000 });
  const all = [
    ...files.map((f) => ({ path: f.path, bytes: Number(f.bytes) })),
    { path: "SHA256SUMS", bytes: 0 },
    { path: "export.json", bytes: 0 },
  ];
  // Metadata and shards first: those are what people download; individual images are in the manifest.
  const wanted = all.filter((f) => !f.path.includes("/")).concat(all.filter((f) => f.path.includes("/")).slice(0, 200));
  return Promise.all(wanted.map(async (f) => ({ ...f, url: await target.downloadUrl(f.path, 3600) })));
}

import type { Db } from "@arbor/db";
import type { BlobStore } from "@arbor/storage";
import { notFound } from "../errors.ts";
import type { ExportFile, ExportSummary } from "./export-schemas.ts";
import { openExportTarget } from "./export-target.ts";
import { toExportSummary } from "./to-export-summary.ts";

/** An export's status, progress and location. */
export async function getExport(db: Db, id: number): Promise<ExportSummary> {
  const row = await db.export.findUnique({ where: { id } });
  if (!row) throw notFound(`no export ${id}`);
  return toExportSummary(row);
}

/** The files of a finished export with download URLs valid for an hour (none for a local directory). */
export async function listExportFiles(
  deps: { db: Db; blobs: BlobStore; openBucket?: (bucket: string) => BlobStore },
  id: number,
): Promise<ExportFile[]> {
  const row = await deps.db.export.findUnique({ where: { id }, select: { destination: true, status: true } });
  if (!row) throw notFound(`no export ${id}`);
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

import type { Db } from "@arbor/db";
import type { BlobStore } from "@arbor/storage";
import { notFound } from "../errors.ts";
import { assertMayExportLabels } from "../restrictions/ownership.ts";
import type { Viewer } from "../restrictions/viewer.ts";
import { failStaleExports } from "../runs/stale-runs.ts";
import type { ExportFile, ExportSummary } from "./export-schemas.ts";
import { openExportTarget } from "./export-target.ts";
import { toExportSummary } from "./to-export-summary.ts";

/** An export's status, progress and location (an export whose worker died is marked failed first). */
export async function getExport(db: Db, id: number): Promise<ExportSummary> {
  await failStaleExports(db);
  const row = await db.export.findUnique({ where: { id } });
  if (!row) throw notFound(`no export ${id}`);
  return toExportSummary(row);
}

/**
 * The files of a finished export with download URLs valid for an hour (none for a local directory). `origin`:
 * the origin the request came in on, which the blob store's links point at unless ARBOR_PUBLIC_URL is set.
 * An export carrying labels withheld from `viewer` (restricted images of a version they do not own) is
 * `forbidden` to them, as making it would be; no viewer counts as an anonymous one.
 */
export async function listExportFiles(
  deps: { db: Db; blobs: BlobStore; openBucket?: (bucket: string) => BlobStore },
  id: number,
  { origin, viewer = null }: { origin?: string; viewer?: Viewer } = {},
): Promise<ExportFile[]> {
  const row = await deps.db.export.findUnique({
    where: { id },
    select: { destination: true, status: true, versionId: true, options: true },
  });
  if (!row) throw notFound(`no export ${id}`);
  const withholdTestLabels = (row.options as { withholdTestLabels?: boolean }).withholdTestLabels === true;
  await assertMayExportLabels(deps.db, viewer, row.versionId, withholdTestLabels);
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
  return Promise.all(wanted.map(async (f) => ({ ...f, url: await target.downloadUrl(f.path, 3600, origin) })));
}

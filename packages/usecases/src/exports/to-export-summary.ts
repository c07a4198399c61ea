import { exportOptionsSchema } from "./export-options.ts";
import type { ExportSummary } from "./export-schemas.ts";

export interface ExportRow {
  id: number;
  versionId: number;
  format: "imagefolder" | "jsonl" | "webdataset";
  destination: string | null;
  options: unknown;
  status: "queued" | "running" | "succeeded" | "failed";
  total: number | null;
  processed: number;
  bytes: bigint;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export function toExportSummary(row: ExportRow): ExportSummary {
  const { format: _f, ...options } = exportOptionsSchema.parse({ ...(row.options as object), format: row.format });
  return {
    id: row.id,
    versionId: row.versionId,
    format: row.format,
    destination: row.destination,
    options,
    status: row.status,
    total: row.total,
    processed: row.processed,
    bytes: Number(row.bytes),
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    location: row.destination ?? `blob store: exports/${row.id}/`,
  };
}

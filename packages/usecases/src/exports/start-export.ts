import path from "node:path";
import { InvalidS3UrlError, parseS3Url } from "@arbor/core";
import type { Db } from "@arbor/db";
import type { JobQueue } from "@arbor/jobs";
import { usecasesEnv } from "../env.ts";
import { forbidden, invalid, parseInput } from "../errors.ts";
import { createExport } from "./create-export.ts";
import { exportJob } from "./export-job.ts";
import { type ExportStarted, type StartExportRequest, startExportRequestSchema } from "./export-schemas.ts";

/**
 * Starts an export from the web: no destination writes to the blob store (downloadable through presigned
 * URLs); an s3:// URL writes to that bucket; a local path must lie inside ARBOR_EXPORT_ROOTS, since the web
 * app never writes where a request merely asks it to. An unfinished identical export is resumed.
 */
export async function startExport(
  deps: { db: Db; jobs: JobQueue },
  input: { versionId: number; request: StartExportRequest; createdById: number | null },
): Promise<ExportStarted> {
  const { destination, ...options } = parseInput(startExportRequestSchema, input.request);
  const created = await createExport(deps.db, {
    versionId: input.versionId,
    options,
    destination: checkDestination(destination ?? null),
    createdById: input.createdById,
  });
  await deps.jobs.send(exportJob, { exportId: created.id });
  return created;
}

function checkDestination(destination: string | null): string | null {
  if (destination === null || destination === "") return null;
  if (destination.startsWith("s3://")) {
    try {
      parseS3Url(destination);
    } catch (error) {
      if (error instanceof InvalidS3UrlError) throw invalid(`destination: ${error.message}`);
      throw error;
    }
    return destination;
  }
  const resolved = path.resolve(destination);
  const roots = usecasesEnv().exportRoots;
  if (!path.isAbsolute(destination) || !roots.some((root) => resolved.startsWith(root + path.sep))) {
    throw forbidden(`exports may only be written under ${roots.join(", ")} (ARBOR_EXPORT_ROOTS)`);
  }
  return resolved;
}

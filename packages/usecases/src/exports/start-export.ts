import path from "node:path";
import type { Db } from "@arbor/db";
import type { JobQueue } from "@arbor/jobs";
import { parseS3Url } from "@arbor/storage";
import { usecasesEnv } from "../env.ts";
import { ForbiddenPathError } from "../ingest/allowed-paths.ts";
import { createExport } from "./create-export.ts";
import { exportJob } from "./export-job.ts";
import type { ExportOptionsInput } from "./export-options.ts";

/**
 * Starts an export from the web: no destination writes to the blob store (downloadable through presigned
 * URLs); an s3:// URL writes to that bucket; a local path must lie inside ARBOR_EXPORT_ROOTS, since the web
 * app never writes where a request merely asks it to.
 */
export async function startExport(
  deps: { db: Db; jobs: JobQueue },
  input: { versionId: number; options: ExportOptionsInput; destination?: string | null; createdById: number | null },
): Promise<{ id: number; resumed: boolean }> {
  const destination = checkDestination(input.destination ?? null);
  const created = await createExport(deps.db, { ...input, destination });
  await deps.jobs.send(exportJob, { exportId: created.id });
  return created;
}

function checkDestination(destination: string | null): string | null {
  if (destination === null || destination === "") return null;
  if (destination.startsWith("s3://")) {
    parseS3Url(destination);
    return destination;
  }
  const resolved = path.resolve(destination);
  const roots = usecasesEnv().exportRoots;
  if (!path.isAbsolute(destination) || !roots.some((root) => resolved.startsWith(root + path.sep))) {
    throw new ForbiddenPathError(`exports may only be written under ${roots.join(", ")} (ARBOR_EXPORT_ROOTS)`);
  }
  return resolved;
}

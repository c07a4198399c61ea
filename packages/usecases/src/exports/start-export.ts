import { InvalidS3UrlError, parseS3Url } from "@arbor/core";
import type { Db } from "@arbor/db";
import type { JobQueue } from "@arbor/jobs";
import { usecasesEnv } from "../env.ts";
import { invalid, parseInput } from "../errors.ts";
import { resolveExportDestination } from "../ingest/allowed-paths.ts";
import { assertMayExportLabels } from "../restrictions/ownership.ts";
import type { Actor } from "../restrictions/viewer.ts";
import { createExport } from "./create-export.ts";
import { exportJob } from "./export-job.ts";
import { type ExportStarted, type StartExportRequest, startExportRequestSchema } from "./export-schemas.ts";

/**
 * Starts an export from the web: no destination writes to the blob store (downloadable through presigned
 * URLs); an s3:// URL writes to that bucket; a local path must lie inside ARBOR_EXPORT_ROOTS, since the web
 * app never writes where a request merely asks it to. An unfinished identical export by the same actor is
 * resumed. Labels withheld from the actor (restricted images of a version they do not own) are `forbidden`:
 * such a version may be exported by them only with withholdTestLabels, and only if the test split is all
 * that is withheld.
 */
export async function startExport(
  deps: { db: Db; jobs: JobQueue },
  input: { versionId: number; request: StartExportRequest; actor: Actor },
): Promise<ExportStarted> {
  const { destination, ...options } = parseInput(startExportRequestSchema, input.request);
  await assertMayExportLabels(deps.db, input.actor, input.versionId, options.withholdTestLabels);
  const created = await createExport(deps.db, {
    versionId: input.versionId,
    options,
    destination: await checkDestination(destination ?? null),
    createdById: input.actor.id,
  });
  await deps.jobs.send(exportJob, { exportId: created.id });
  return created;
}

async function checkDestination(destination: string | null): Promise<string | null> {
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
  // Real paths on both sides: a symlink inside a root that points outside it is outside.
  return resolveExportDestination(destination, usecasesEnv().exportRoots);
}

import { exportJob, ingestRunJob, type Services } from "@arbor/usecases";
import { executeExport } from "@arbor/usecases/exports";
import { executeIngestRun } from "@arbor/usecases/ingest";

/** Registers a handler for every kind of background job. */
export async function startWorkers(services: Services): Promise<void> {
  await services.jobs.work(ingestRunJob, async ({ runId }) => {
    await executeIngestRun({ db: services.db, blobs: services.blobs }, runId);
  });
  await services.jobs.work(exportJob, async ({ exportId }) => {
    await executeExport({ db: services.db, blobs: services.blobs }, exportId);
  });
}

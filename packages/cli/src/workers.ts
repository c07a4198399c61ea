import { exportJob, ingestRunJob, type Services, watchStaleRuns } from "@arbor/usecases";
import { executeExport } from "@arbor/usecases/exports";
import { executeIngestRun } from "@arbor/usecases/ingest";

/**
 * Registers a handler for every kind of background job, and the stale-run sweep: ingest runs and exports left
 * "running" by a worker that died (kill -9, a crash) are marked failed now and on a timer. Returns what stops
 * the sweep (before the services close).
 */
export async function startWorkers(services: Services): Promise<() => void> {
  const sweeper = await watchStaleRuns(services.db, {
    onSwept: ({ ingestRuns, exports }) => {
      const runs = [...ingestRuns.map((id) => `ingest run #${id}`), ...exports.map((id) => `export #${id}`)];
      console.log(`[arbor] marked failed (their worker stopped): ${runs.join(", ")}`);
    },
    onError: (error) => console.error(`[arbor] stale-run sweep failed: ${(error as Error).message}`),
  });
  await services.jobs.work(ingestRunJob, async ({ runId }) => {
    await executeIngestRun({ db: services.db, blobs: services.blobs }, runId);
  });
  await services.jobs.work(exportJob, async ({ exportId }) => {
    await executeExport({ db: services.db, blobs: services.blobs }, exportId);
  });
  return () => sweeper.stop();
}

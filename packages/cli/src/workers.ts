import { registerJobHandlers, type Services, watchStaleRuns } from "@arbor/usecases";

/**
 * Registers a handler for every kind of background job (`registerJobHandlers`), and the worker's sweep on a
 * timer: ingest runs, exports, candidate runs and freeze runs left "running" by a worker that died (kill -9, a crash) are
 * marked failed, and challenge submissions whose scorer died are queued again (their scoring job re-sent).
 * Returns what stops the sweep (before the services close).
 */
export async function startWorkers(services: Services): Promise<() => void> {
  await registerJobHandlers(services);
  const sweeper = await watchStaleRuns(services, {
    onSwept: ({ ingestRuns, exports, candidateRuns, freezeRuns, submissions }) => {
      const runs = [
        ...ingestRuns.map((id) => `ingest run #${id}`),
        ...exports.map((id) => `export #${id}`),
        ...candidateRuns.map((id) => `candidate run #${id}`),
        ...freezeRuns.map((id) => `freeze run #${id}`),
      ];
      if (runs.length > 0) console.log(`[arbor] marked failed (their worker stopped): ${runs.join(", ")}`);
      if (submissions.requeued.length > 0)
        console.log(`[arbor] queued again (their scorer stopped): submissions ${submissions.requeued.join(", ")}`);
      if (submissions.failed.length > 0)
        console.log(`[arbor] marked failed (never scored): submissions ${submissions.failed.join(", ")}`);
    },
    onError: (error) => console.error(`[arbor] stale-run sweep failed: ${(error as Error).message}`),
  });
  return () => sweeper.stop();
}

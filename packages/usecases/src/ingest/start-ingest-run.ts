import type { Db } from "@arbor/db";
import type { JobQueue } from "@arbor/jobs";
import { createIngestRun } from "./create-ingest-run.ts";
import { ingestRunJob } from "./ingest-job.ts";
import type { IngestOptionsInput } from "./ingest-options.ts";

/** Creates a run and queues it for a worker: the request that starts it returns at once. */
export async function startIngestRun(
  deps: { db: Db; jobs: JobQueue },
  input: IngestOptionsInput,
): Promise<{ id: number }> {
  const run = await createIngestRun(deps.db, input);
  await deps.jobs.send(ingestRunJob, { runId: run.id });
  return run;
}

import type { Db } from "@arbor/db";
import type { JobQueue } from "@arbor/jobs";
import type { BlobStore } from "@arbor/storage";
import { executeCandidateRun } from "../candidates/execute-candidate-run.ts";
import { proposeCandidatesJob } from "../candidates/propose-candidates-job.ts";
import { scoreSubmission } from "../challenges/score-submission.ts";
import { scoreSubmissionJob } from "../challenges/score-submission-job.ts";
import { executeFreezeRun } from "../datasets/execute-freeze-run.ts";
import { freezeRunJob } from "../datasets/freeze-run-job.ts";
import { executeExport } from "../exports/execute-export.ts";
import { exportJob } from "../exports/export-job.ts";
import { executeIngestRun } from "../ingest/execute-ingest-run.ts";
import { ingestRunJob } from "../ingest/ingest-job.ts";

/**
 * Registers a handler for every kind of background job on `services.jobs`: ingest runs, exports, challenge
 * scoring, candidate runs and freeze runs. The one list of job kinds: every process that works jobs (the CLI's worker and
 * `arbor start`, the e2e setup) calls this.
 */
export async function registerJobHandlers(services: { db: Db; blobs: BlobStore; jobs: JobQueue }): Promise<void> {
  const { db, blobs, jobs } = services;
  await jobs.work(ingestRunJob, async ({ runId }) => {
    await executeIngestRun({ db, blobs }, runId);
  });
  await jobs.work(exportJob, async ({ exportId }) => {
    await executeExport({ db, blobs }, exportId);
  });
  await jobs.work(scoreSubmissionJob, async ({ submissionId }) => {
    await scoreSubmission({ db, blobs }, submissionId);
  });
  await jobs.work(proposeCandidatesJob, async ({ runId }) => {
    await executeCandidateRun({ db }, runId);
  });
  await jobs.work(freezeRunJob, async ({ runId }) => {
    await executeFreezeRun({ db }, runId);
  });
}

// Runs an ingest run and SIGKILLs its own process once the first batch is written: a real `kill -9` of a
// worker mid-run, for the stale-run test. argv: <database url> <blob dir> <run id>
import { createDb } from "@arbor/db";
import { LocalDiskStore } from "@arbor/storage";
import { executeIngestRun } from "../execute-ingest-run.ts";

const [url, blobDir, runId] = process.argv.slice(2) as [string, string, string];
const db = createDb(url, 2);
const blobs = new LocalDiskStore(blobDir, { signingSecret: "test" });
await executeIngestRun({ db, blobs, batchSize: 1, concurrency: 1 }, Number(runId), (progress) => {
  if (progress.processed >= 1) process.kill(process.pid, "SIGKILL");
});
console.error("the ingest finished before it could be killed");
process.exit(3);

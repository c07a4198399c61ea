// Runs an export and SIGKILLs its own process half-way: a real `kill -9` mid-export, for the resume test.
// argv: <database url> <blob dir> <export id>
import { createDb } from "@arbor/db";
import { LocalDiskStore } from "@arbor/storage";
import { executeExport } from "../execute-export.ts";

const [url, blobDir, exportId] = process.argv.slice(2) as [string, string, string];
const db = createDb(url, 2);
const blobs = new LocalDiskStore(blobDir, { signingSecret: "test", publicBaseUrl: "http://x" });
await executeExport({ db, blobs }, Number(exportId), (progress) => {
  if (progress.processed >= progress.total / 2) process.kill(process.pid, "SIGKILL");
});
console.error("the export finished before it could be killed");
process.exit(3);

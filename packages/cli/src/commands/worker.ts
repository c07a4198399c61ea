import { dbEnv } from "@arbor/db";
import { PgBossQueue } from "@arbor/jobs";
import { createBlobStore } from "@arbor/storage";
import type { Command } from "commander";
import { withDatabase } from "../database.ts";
import { startWorkers } from "../workers.ts";

export function registerWorkerCommand(program: Command): void {
  program
    .command("worker")
    .description("run background jobs (ingest runs started from the web app) until Ctrl-C")
    .action(async () => {
      await withDatabase(async (db, url) => {
        const jobs = new PgBossQueue({ connectionString: url });
        await startWorkers({ db, blobs: await createBlobStore(dbEnv().arborHome), jobs });
        console.log("[arbor] worker running (Ctrl-C stops it)");
        await new Promise<void>((resolve) => {
          process.once("SIGINT", resolve);
          process.once("SIGTERM", resolve);
        });
        await jobs.stop();
      });
    });
}

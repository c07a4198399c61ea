import type { Command } from "commander";
import { untilStopSignal, withServices } from "../services.ts";
import { startWorkers } from "../workers.ts";

export function registerWorkerCommand(program: Command): void {
  program
    .command("worker")
    .description("run background jobs (ingest runs and exports started from the web app) until Ctrl-C")
    .action(async () => {
      // Closing the services stops the job queue gracefully: a running job finishes first.
      await withServices(async (services) => {
        const stopSweep = await startWorkers(services);
        console.log("[arbor] worker running (Ctrl-C stops it)");
        await untilStopSignal();
        stopSweep();
      });
    });
}

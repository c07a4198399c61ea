import { recountSynsetCounts } from "@arbor/usecases/ingest";
import type { Command } from "commander";
import { withServices } from "../services.ts";

export function registerCountsCommand(program: Command): void {
  program
    .command("counts")
    .description("image counts per synset")
    .command("verify")
    .description("recount every synset's image counts from the links and compare (--repair overwrites drift)")
    .option("--repair", "write the recounted values")
    .action(async (flags: { repair?: boolean }) => {
      const mismatches = await withServices(({ db }) => recountSynsetCounts(db, { repair: flags.repair }));
      for (const m of mismatches.slice(0, 50))
        console.log(`${m.wnid} ${m.column}: stored ${m.stored}, actual ${m.actual}`);
      console.log(
        mismatches.length === 0
          ? "all counts are exact"
          : `${mismatches.length} counts differ${flags.repair ? " (repaired)" : ""}`,
      );
      if (mismatches.length > 0 && !flags.repair) process.exitCode = 1;
    });
}

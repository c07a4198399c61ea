import { importWordnet } from "@arbor/usecases/wordnet";
import type { Command } from "commander";
import { progressBar } from "../progress.ts";
import { withServices } from "../services.ts";

export function registerWordnetCommands(program: Command): void {
  const wordnet = program.command("wordnet").description("the WordNet 3.0 noun hierarchy");
  wordnet
    .command("import")
    .description("import (or re-check) all WordNet 3.0 noun synsets, is-a edges and their closure; idempotent")
    .option("--data-noun <path>", "a WordNet 3.0 data.noun file (default: the one in the `wordnet` npm package)")
    .option("--json", "print the result as JSON")
    .action(async (options: { dataNoun?: string; json?: boolean }) => {
      await withServices(async ({ db }) => {
        const bar = progressBar("WordNet");
        const started = performance.now();
        const result = await importWordnet(db, { dataNounPath: options.dataNoun, onProgress: bar.update }).finally(
          bar.stop,
        );
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        if (options.json) return console.log(JSON.stringify({ ...result, seconds: Number(seconds) }));
        const changed = Object.values(result.changes).reduce((a, b) => a + b, 0);
        console.log(
          `${result.synsets} synsets, ${result.edges} is-a edges, ${result.closureRows} closure rows in ${seconds}s; ` +
            (changed ? `${changed} rows written` : "already up to date, nothing written"),
        );
      });
    });
}

import { Command } from "commander";
import { registerCountsCommand } from "./commands/counts.ts";
import { registerDbCommands } from "./commands/db.ts";
import { registerIngestCommand } from "./commands/ingest.ts";
import { registerStartCommand } from "./commands/start.ts";
import { registerWordnetCommands } from "./commands/wordnet.ts";
import { registerWorkerCommand } from "./commands/worker.ts";

const program = new Command("arbor")
  .description("Arbor: build ImageNet-style image datasets on the WordNet hierarchy")
  .showHelpAfterError();

registerStartCommand(program);
registerDbCommands(program);
registerWordnetCommands(program);
registerIngestCommand(program);
registerWorkerCommand(program);
registerCountsCommand(program);

program.parseAsync().catch((error: unknown) => {
  console.error(`arbor: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

import { Command } from "commander";
import { z } from "zod";
import { registerCandidatesCommands } from "./commands/candidates.ts";
import { registerChallengeCommands } from "./commands/challenge.ts";
import { registerCountsCommand } from "./commands/counts.ts";
import { registerDatasetCommands } from "./commands/datasets.ts";
import { registerDbCommands } from "./commands/db.ts";
import { registerExportCommands } from "./commands/export.ts";
import { registerIngestCommand } from "./commands/ingest.ts";
import { registerStartCommand } from "./commands/start.ts";
import { registerUserCommands } from "./commands/users.ts";
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
registerDatasetCommands(program);
registerExportCommands(program);
registerCandidatesCommands(program);
registerChallengeCommands(program);
// The training commands load TensorFlow.js, so they are only imported when asked for.
const train = program
  .command("train")
  .description("train, evaluate, predict and benchmark CNNs on an export (@arbor/train)");
if (process.argv[2] === "train") {
  const { registerTrainCommands } = await import("@arbor/train");
  registerTrainCommands(train);
}
registerUserCommands(program);

program.parseAsync().catch((error: unknown) => {
  const message =
    error instanceof z.ZodError ? z.prettifyError(error) : error instanceof Error ? error.message : String(error);
  console.error(`arbor: ${message}`);
  process.exit(1);
});

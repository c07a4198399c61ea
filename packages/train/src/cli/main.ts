import { Command } from "commander";
import { registerTrainCommands } from "./register-commands.ts";

const program = registerTrainCommands(
  new Command("arbor-train").description("train baseline models on Arbor exports and push predictions back"),
);
try {
  await program.parseAsync(process.argv);
  // Decode workers and backend threads are unref'd, but tfjs may hold timers; exit explicitly once done,
  // after stdout (a pipe, for `predict`: written asynchronously) has flushed.
  await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
  process.exit(0);
} catch (err) {
  console.error(`arbor-train: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

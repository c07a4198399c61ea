import {
  createCandidateRun,
  executeCandidateRun,
  getCandidateRun,
  OPERATOR,
  type StartCandidateRunInput,
} from "@arbor/usecases";
import type { Command } from "commander";
import { progressBar } from "../progress.ts";
import { withServices } from "../services.ts";

export interface ProposeFlags {
  model?: string;
  wnid?: string;
  subtree?: boolean;
  minScore?: string;
  topK?: string;
}

/** A flag's number as typed (range checks are the use-case's); a flag that is no number at all is named. */
function numberFlag(flag: string, text: string | undefined, whole = false): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || (whole && !Number.isInteger(value))) {
    throw new Error(`--${flag} must be a ${whole ? "whole " : ""}number, not ${JSON.stringify(text)}`);
  }
  return value;
}

/** The flags of `arbor candidates propose` as the run's input (startCandidateRunSchema checks the rest). */
export function proposeInput(flags: ProposeFlags): StartCandidateRunInput {
  if (flags.model === undefined || flags.wnid === undefined) {
    throw new Error("candidates propose needs --model <id> and --wnid <wnid>");
  }
  return {
    modelId: numberFlag("model", flags.model, true) as number,
    wnid: flags.wnid,
    subtree: flags.subtree ?? false,
    minScore: numberFlag("min-score", flags.minScore),
    topK: numberFlag("top-k", flags.topK, true),
  };
}

export function registerCandidatesCommands(program: Command): void {
  const candidates = program.command("candidates").description("candidate links proposed by a model's predictions");
  candidates
    .command("propose")
    .description(
      "make candidate links for a synset (or every synset below it) from a model's predictions: images scored at least --min-score, or with the synset in their top --top-k (linked and restricted images are left as they are)",
    )
    .option("--model <id>", "the model whose predictions propose (required)")
    .option("--wnid <wnid>", "the synset to propose candidates for (required)")
    .option("--subtree", "also every synset below it that the model predicts, each with its own candidates")
    .option("--min-score <s>", "propose images whose score for the synset (or a descendant) is at least s (0 to 1)")
    .option("--top-k <k>", "propose images with the synset (or a descendant) among their k best predictions (1 to 100)")
    .action(async (flags: ProposeFlags) => {
      const input = proposeInput(flags);
      process.exitCode = await withServices(async ({ db }) => {
        // Run here rather than queued: the command needs no worker, and waits for the end as ingest does.
        const { runId } = await createCandidateRun(db, input, OPERATOR);
        const bar = progressBar(`Candidates #${runId}`);
        await executeCandidateRun({ db }, runId, (p) =>
          bar.update(`${p.proposed} proposed`, p.processed, p.total),
        ).finally(() => bar.stop());
        const run = await getCandidateRun(db, runId);
        if (run.error) console.error(`error: ${run.error}`);
        console.log(JSON.stringify({ runId, status: run.status, proposed: run.proposed }));
        return run.status === "succeeded" ? 0 : 1;
      });
    });
}

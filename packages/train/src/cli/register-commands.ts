import type { Command } from "commander";
import { registerBenchCommand } from "./bench-command.ts";
import { registerEvaluateCommand } from "./evaluate-command.ts";
import { registerExportOnnxCommand } from "./export-onnx-command.ts";
import { registerPredictCommand } from "./predict-command.ts";
import { registerTrainCommand } from "./train-command.ts";

/** Adds train/evaluate/predict/export-onnx/bench to a commander program (arbor-train's, or `arbor train …` later). */
export function registerTrainCommands(program: Command): Command {
  registerTrainCommand(program);
  registerEvaluateCommand(program);
  registerPredictCommand(program);
  registerExportOnnxCommand(program);
  registerBenchCommand(program);
  return program;
}

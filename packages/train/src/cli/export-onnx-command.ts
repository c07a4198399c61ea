import { writeFile } from "node:fs/promises";
import * as tf from "@tensorflow/tfjs";
import type { Command } from "commander";
import { z } from "zod";
import { ONNX_FILE } from "../onnx/export.ts";
import { checkpointExportInfo, exportCheckpointOnnx } from "../onnx/export-checkpoint.ts";
import { loadCheckpoint } from "../training/checkpoint.ts";
import { startBackend } from "./backend.ts";
import { parseFlags } from "./options.ts";

const flagsSchema = z.object({ model: z.string().min(1), out: z.string().min(1).default(ONNX_FILE) });

export function registerExportOnnxCommand(program: Command): void {
  program
    .command("export-onnx")
    .description("write the model as a standard ONNX file (opset 13; class list and preprocessing in its metadata)")
    .requiredOption("--model <dir>", "a training output directory or one checkpoint directory")
    .option("--out <file>", "the ONNX file to write", ONNX_FILE)
    .action(async (raw: unknown) => {
      const f = parseFlags(flagsSchema, raw);
      // Reading weights needs a backend; cpu is enough (no inference runs) and starts instantly.
      await startBackend("cpu");
      const ckpt = await loadCheckpoint(f.model);
      tf.dispose(ckpt.optimizer.buffers);
      const bytes = exportCheckpointOnnx(ckpt);
      await writeFile(f.out, bytes);
      const info = checkpointExportInfo(ckpt);
      console.error(
        `${info.architecture}, ${info.classes.length} classes, input [batch, ${info.preprocessing.size}, ${info.preprocessing.size}, 3] NHWC → ${f.out} (${(bytes.length / 1e6).toFixed(1)} MB)`,
      );
    });
}

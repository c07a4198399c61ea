import { readGraph } from "../inference/graph.ts";
import type { LoadedCheckpoint } from "../training/checkpoint.ts";
import { exportOnnx, type OnnxExportInfo } from "./export.ts";

/** What an exported file says about a checkpoint: its architecture, class list and eval preprocessing. */
export function checkpointExportInfo(ckpt: Pick<LoadedCheckpoint, "config" | "classes">): OnnxExportInfo {
  const a = ckpt.config.augment;
  return {
    architecture: ckpt.config.model,
    classes: ckpt.classes.map((c) => c.wnid),
    preprocessing: { size: a.size, resize: a.evalResize ?? a.size, mean: a.mean, std: a.std },
  };
}

/** A checkpoint's model as ONNX bytes (BatchNorm folded; see export.ts). */
export function exportCheckpointOnnx(
  ckpt: Pick<LoadedCheckpoint, "config" | "classes" | "model">,
): Uint8Array<ArrayBuffer> {
  return exportOnnx(readGraph(ckpt.model), checkpointExportInfo(ckpt));
}

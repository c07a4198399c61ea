import { availableParallelism } from "node:os";
import * as tf from "@tensorflow/tfjs";
import { exportOnnx, ONNX_INPUT, ONNX_OUTPUT, type OnnxExportInfo } from "../onnx/export.ts";
import { compileForInference } from "./fused-model.ts";
import { type InferenceGraph, readGraph, UnsupportedLayerError } from "./graph.ts";

export type EngineName = "onnx" | "tfjs";
export const ENGINE_NAMES: readonly EngineName[] = ["onnx", "tfjs"];

/** Maps a batch of preprocessed NHWC images to logits ([n × classes], row-major). */
export interface InferenceEngine {
  readonly name: EngineName;
  /** What runs, in words (printed by the CLI). */
  readonly detail: string;
  run(x: Float32Array, n: number): Promise<Float32Array>;
  dispose(): Promise<void>;
}

/** The folded, fused tfjs path (fused-model.ts) on the active tfjs backend. */
export function tfjsEngine(model: tf.LayersModel): InferenceEngine {
  const compiled = compileForInference(model);
  const [h, w, c] = (model.inputs[0]?.shape ?? []).slice(1) as [number, number, number];
  return {
    name: "tfjs",
    detail: `tfjs ${tf.getBackend()}${compiled.fused ? ", BatchNorm folded, conv+bias+ReLU fused" : ""}`,
    async run(x, n) {
      const out = tf.tidy(() => compiled.predict(tf.tensor4d(x, [n, h, w, c])));
      const logits = (await out.data()) as Float32Array;
      out.dispose();
      return logits;
    },
    async dispose() {
      compiled.dispose();
    },
  };
}

type Ort = typeof import("onnxruntime-node");
let ortPromise: Promise<Ort | null> | undefined;

/** onnxruntime-node if it is installed and its native binding loads here, else null. */
export function loadOnnxRuntime(): Promise<Ort | null> {
  ortPromise ??= import("onnxruntime-node").then(
    (m) => ((m as { default?: Ort }).default ?? m) as Ort,
    () => null,
  );
  return ortPromise;
}

/** An ONNX model (bytes) in onnxruntime-node's CPU execution provider, one thread per core. */
export async function onnxEngine(
  model: Uint8Array,
  inputShape: readonly number[],
  threads = availableParallelism(),
): Promise<InferenceEngine> {
  const ort = await loadOnnxRuntime();
  if (!ort) throw new Error("onnxruntime-node is not installed (or its native binding does not load here)");
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ["cpu"],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: "all",
  });
  return {
    name: "onnx",
    detail: `onnxruntime-node ${ort.env.versions?.node ?? "(version unknown)"}, CPU, ${threads} threads`,
    async run(x, n) {
      const input = new ort.Tensor("float32", x, [n, ...inputShape]);
      const result = await session.run({ [ONNX_INPUT]: input });
      return (result[ONNX_OUTPUT] as InstanceType<Ort["Tensor"]>).data as Float32Array;
    },
    async dispose() {
      await session.release();
    },
  };
}

/**
 * The engine `predict` uses: onnxruntime-node when it loads (native CPU kernels, faster than tfjs wasm), tfjs
 * otherwise; `requested` forces one (and fails if it cannot run). The model is exported to ONNX in memory.
 */
export async function chooseEngine(
  model: tf.LayersModel,
  info: OnnxExportInfo,
  requested?: EngineName,
): Promise<InferenceEngine> {
  if (requested === "tfjs") return tfjsEngine(model);
  if (requested !== "onnx" && !(await loadOnnxRuntime())) return tfjsEngine(model);
  let graph: InferenceGraph;
  try {
    graph = readGraph(model);
  } catch (err) {
    // A layer the exporter does not know: tfjs runs any model, so it is the fallback unless onnx was asked for.
    if (requested === "onnx" || !(err instanceof UnsupportedLayerError)) throw err;
    return tfjsEngine(model);
  }
  return onnxEngine(exportOnnx(graph, info), graph.input.shape);
}

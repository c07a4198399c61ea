import type * as tf from "@tensorflow/tfjs";

/**
 * An inference graph read out of a tf.LayersModel: plain arrays and numbers, no tfjs objects, so the same
 * graph drives the fused tfjs executor (fused-model.ts) and the ONNX exporter (../onnx/export.ts). Shapes
 * are channels-last without the batch dimension, as tfjs has them; weights keep tfjs' layouts (conv HWIO,
 * dense [in, out]).
 */
export type Activation = "linear" | "relu";

interface Base {
  name: string;
  inputs: string[];
  /** Output shape without the batch dimension: [h, w, c] or [features]. */
  shape: number[];
}

export interface ConvNode extends Base {
  op: "conv";
  /** [kh, kw, inChannels, outChannels] (tfjs HWIO), row-major. */
  kernel: Float32Array;
  kernelShape: [number, number, number, number];
  bias: Float32Array | null;
  strides: [number, number];
  padding: "same" | "valid";
  activation: Activation;
}

export interface DenseNode extends Base {
  op: "dense";
  /** [in, out], row-major. */
  kernel: Float32Array;
  kernelShape: [number, number];
  bias: Float32Array | null;
  activation: Activation;
}

/** y = x · scale + shift per channel: an inference-mode BatchNormalization not folded into a conv. */
export interface AffineNode extends Base {
  op: "affine";
  scale: Float32Array;
  shift: Float32Array;
}

export interface MaxPoolNode extends Base {
  op: "maxpool";
  size: [number, number];
  strides: [number, number];
  padding: "same" | "valid";
}

export type GraphNode =
  | ConvNode
  | DenseNode
  | AffineNode
  | MaxPoolNode
  | (Base & { op: "relu" })
  | (Base & { op: "add"; activation: Activation })
  | (Base & { op: "gap" })
  | (Base & { op: "flatten" });

export interface InferenceGraph {
  input: { name: string; shape: [number, number, number] };
  /** Topological order; each node's inputs are the graph input or earlier nodes. */
  nodes: GraphNode[];
  output: string;
}

export class UnsupportedLayerError extends Error {}

const pair = (v: unknown): [number, number] => (Array.isArray(v) ? [v[0], v[1] ?? v[0]] : [v, v]) as [number, number];

function activationOf(layer: tf.layers.Layer, value: unknown): Activation {
  if (value === undefined || value === null || value === "linear") return "linear";
  if (value === "relu") return "relu";
  throw new UnsupportedLayerError(`${layer.name}: activation ${String(value)} is not supported`);
}

function weights(layer: tf.layers.Layer): Float32Array[] {
  return layer.getWeights().map((w) => w.dataSync() as Float32Array);
}

/** The model as an InferenceGraph (BatchNorm unfolded; see fold.ts). Throws UnsupportedLayerError otherwise. */
export function readGraph(model: tf.LayersModel): InferenceGraph {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new UnsupportedLayerError("only single-input, single-output models are supported");
  }
  const inShape = model.inputs[0]?.shape.slice(1) as number[];
  if (inShape.length !== 3 || inShape.some((d) => !d)) throw new UnsupportedLayerError("input must be [h, w, c]");
  const input = { name: model.inputs[0]?.sourceLayer.name as string, shape: inShape as [number, number, number] };
  const alias = new Map<string, string>(); // identity layers (dropout, input) → the tensor they pass on
  const resolve = (name: string) => alias.get(name) ?? name;
  const nodes: GraphNode[] = [];
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    const inputs = (layer.inboundNodes[0]?.inboundLayers ?? []).map((l) => resolve(l.name));
    const shape = (layer.outputShape as number[]).slice(1);
    const cfg = layer.getConfig() as Record<string, unknown>;
    const base = { name: layer.name, inputs, shape };
    switch (cls) {
      case "InputLayer":
        break;
      case "Dropout":
        alias.set(layer.name, inputs[0] as string);
        break;
      case "Conv2D": {
        if (cfg.dataFormat !== "channelsLast") throw new UnsupportedLayerError(`${layer.name}: channelsFirst`);
        if (pair(cfg.dilationRate).some((d) => d !== 1)) throw new UnsupportedLayerError(`${layer.name}: dilation`);
        const [kernel, bias] = weights(layer);
        const kshape = layer.getWeights()[0]?.shape as [number, number, number, number];
        nodes.push({
          ...base,
          op: "conv",
          kernel: kernel as Float32Array,
          kernelShape: kshape,
          bias: cfg.useBias ? (bias as Float32Array) : null,
          strides: pair(cfg.strides),
          padding: cfg.padding === "same" ? "same" : "valid",
          activation: activationOf(layer, cfg.activation),
        });
        if (cfg.padding !== "same" && cfg.padding !== "valid")
          throw new UnsupportedLayerError(`${layer.name}: padding`);
        break;
      }
      case "BatchNormalization": {
        const axis = cfg.axis as number;
        if (axis !== -1 && axis !== shape.length) throw new UnsupportedLayerError(`${layer.name}: axis ${axis}`);
        const w = weights(layer);
        const c = shape.at(-1) as number;
        const gamma = cfg.scale ? (w.shift() as Float32Array) : new Float32Array(c).fill(1);
        const beta = cfg.center ? (w.shift() as Float32Array) : new Float32Array(c);
        const [mean, variance] = w as [Float32Array, Float32Array];
        const eps = cfg.epsilon as number;
        const scale = new Float32Array(c);
        const shift = new Float32Array(c);
        for (let i = 0; i < c; i++) {
          scale[i] = (gamma[i] as number) / Math.sqrt((variance[i] as number) + eps);
          shift[i] = (beta[i] as number) - (mean[i] as number) * (scale[i] as number);
        }
        nodes.push({ ...base, op: "affine", scale, shift });
        break;
      }
      case "Activation":
      case "ReLU":
        if (cls === "ReLU" && cfg.maxValue != null) throw new UnsupportedLayerError(`${layer.name}: capped ReLU`);
        if (cls === "Activation" && activationOf(layer, cfg.activation) === "linear")
          alias.set(layer.name, inputs[0] as string);
        else nodes.push({ ...base, op: "relu" });
        break;
      case "MaxPooling2D":
        nodes.push({
          ...base,
          op: "maxpool",
          size: pair(cfg.poolSize),
          strides: pair(cfg.strides ?? cfg.poolSize),
          padding: cfg.padding === "same" ? "same" : "valid",
        });
        break;
      case "Add":
        nodes.push({ ...base, op: "add", activation: "linear" });
        break;
      case "GlobalAveragePooling2D":
        nodes.push({ ...base, op: "gap" });
        break;
      case "Flatten":
        nodes.push({ ...base, op: "flatten" });
        break;
      case "Dense": {
        const [kernel, bias] = weights(layer);
        nodes.push({
          ...base,
          op: "dense",
          kernel: kernel as Float32Array,
          kernelShape: layer.getWeights()[0]?.shape as [number, number],
          bias: cfg.useBias ? (bias as Float32Array) : null,
          activation: activationOf(layer, cfg.activation),
        });
        break;
      }
      default:
        throw new UnsupportedLayerError(`${layer.name}: layer ${cls} is not supported`);
    }
  }
  for (const n of nodes) n.inputs = n.inputs.map(resolve);
  const output = resolve(model.outputs[0]?.sourceLayer.name as string);
  return { input, nodes, output };
}

/** TF/Keras "same" padding as explicit [before, after] for one spatial dimension (the extra one goes after). */
export function samePads(inSize: number, kernel: number, stride: number): [number, number] {
  const out = Math.ceil(inSize / stride);
  const total = Math.max((out - 1) * stride + kernel - inSize, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

import { foldGraph } from "../inference/fold.ts";
import { type GraphNode, type InferenceGraph, samePads } from "../inference/graph.ts";
import { encodeModel, type NodeSpec, TENSOR_FLOAT, type TensorSpec } from "./onnx-proto.ts";

export const ONNX_FILE = "model.onnx";
export const ONNX_OPSET = 13;
export const ONNX_INPUT = "input";
export const ONNX_OUTPUT = "logits";

/** How images must be prepared for the model: Arbor's eval transform, written into the file's metadata. */
export interface Preprocessing {
  /** The model's input is [batch, size, size, 3], channels last (NHWC), RGB. */
  size: number;
  /** Shorter side resized to this, then the centre size×size crop (Arbor crops first, then resizes with lanczos3). */
  resize: number;
  mean: [number, number, number];
  std: [number, number, number];
}

export interface OnnxExportInfo {
  architecture: string;
  /** Class index → wnid: what each logit means. */
  classes: string[];
  preprocessing: Preprocessing;
  producerVersion?: string;
}

/** The metadata_props keys an export carries (values are JSON except architecture). */
export const METADATA_KEYS = {
  classes: "arbor.classes",
  preprocessing: "arbor.preprocessing",
  architecture: "arbor.architecture",
};

/** Preprocessing in words, for the model's doc_string (what a user outside Arbor reads first). */
export function describePreprocessing(p: Preprocessing): string {
  return [
    `Input "${ONNX_INPUT}": float32 [batch, ${p.size}, ${p.size}, 3], NHWC, RGB.`,
    `Resize the shorter side to ${p.resize} (lanczos3), centre-crop ${p.size}×${p.size},`,
    `scale to [0, 1] (divide by 255), then per channel (x - mean) / std with mean ${JSON.stringify(p.mean)} and std ${JSON.stringify(p.std)}.`,
    `Output "${ONNX_OUTPUT}": float32 [batch, classes], unnormalised (apply softmax for probabilities);`,
    `class i is the i-th wnid of the "${METADATA_KEYS.classes}" metadata entry.`,
  ].join(" ");
}

/**
 * A tfjs model's inference graph as an ONNX model (opset 13): BatchNorm folded into the convs, weights
 * transposed from tfjs' HWIO to ONNX's OIHW, the NHWC input transposed once to NCHW by the first node, and
 * back to NHWC before a Flatten (so a dense layer after it sees tfjs' h, w, c element order).
 */
export function exportOnnx(unfolded: InferenceGraph, info: OnnxExportInfo): Uint8Array<ArrayBuffer> {
  const graph = foldGraph(unfolded);
  const nodes: NodeSpec[] = [];
  const initializers: TensorSpec[] = [];
  const shapes = new Map<string, number[]>([[graph.input.name, graph.input.shape]]);
  const tensor = new Map<string, string>([[graph.input.name, "input_nchw"]]);
  nodes.push({
    op: "Transpose",
    name: "input_to_nchw",
    inputs: [ONNX_INPUT],
    outputs: ["input_nchw"],
    attributes: { perm: [0, 3, 1, 2] },
  });
  const weight = (name: string, dims: number[], data: Float32Array) => {
    initializers.push({ name, dims, data });
    return name;
  };
  const activate = (n: GraphNode, out: string, relu: boolean) => {
    if (!relu) return out;
    nodes.push({ op: "Relu", name: `${n.name}_relu`, inputs: [out], outputs: [`${n.name}_relu_out`] });
    return `${n.name}_relu_out`;
  };
  for (const n of graph.nodes) {
    const ins = n.inputs.map((i) => tensor.get(i) as string);
    const inShape = shapes.get(n.inputs[0] as string) as number[];
    const out = n.name;
    let result = out;
    switch (n.op) {
      case "conv": {
        const [kh, kw, ci, co] = n.kernelShape;
        const inputs = [ins[0] as string, weight(`${n.name}_W`, [co, ci, kh, kw], hwioToOihw(n.kernel, n.kernelShape))];
        if (n.bias) inputs.push(weight(`${n.name}_B`, [co], n.bias));
        const attributes = {
          kernel_shape: [kh, kw],
          strides: n.strides,
          pads: pads(n.padding, inShape, [kh, kw], n.strides),
          dilations: [1, 1],
          group: 1,
        };
        nodes.push({ op: "Conv", name: n.name, inputs, outputs: [out], attributes });
        result = activate(n, out, n.activation === "relu");
        break;
      }
      case "dense": {
        const inputs = [ins[0] as string, weight(`${n.name}_W`, n.kernelShape, n.kernel)];
        if (n.bias) inputs.push(weight(`${n.name}_B`, [n.kernelShape[1]], n.bias));
        nodes.push({ op: "Gemm", name: n.name, inputs, outputs: [out] });
        result = activate(n, out, n.activation === "relu");
        break;
      }
      case "affine": {
        const c = n.scale.length;
        const dims = inShape.length === 3 ? [c, 1, 1] : [c];
        nodes.push({
          op: "Mul",
          name: `${n.name}_mul`,
          inputs: [ins[0] as string, weight(`${n.name}_scale`, dims, n.scale)],
          outputs: [`${out}_scaled`],
        });
        nodes.push({
          op: "Add",
          name: n.name,
          inputs: [`${out}_scaled`, weight(`${n.name}_shift`, dims, n.shift)],
          outputs: [out],
        });
        break;
      }
      case "relu":
        nodes.push({ op: "Relu", name: n.name, inputs: ins, outputs: [out] });
        break;
      case "add":
        nodes.push({ op: "Sum", name: n.name, inputs: ins, outputs: [out] });
        result = activate(n, out, n.activation === "relu");
        break;
      case "maxpool": {
        const attributes = {
          kernel_shape: n.size,
          strides: n.strides,
          pads: pads(n.padding, inShape, n.size, n.strides),
        };
        nodes.push({ op: "MaxPool", name: n.name, inputs: ins, outputs: [out], attributes });
        break;
      }
      case "gap":
        nodes.push({ op: "GlobalAveragePool", name: `${n.name}_pool`, inputs: ins, outputs: [`${out}_4d`] });
        nodes.push({ op: "Flatten", name: n.name, inputs: [`${out}_4d`], outputs: [out], attributes: { axis: 1 } });
        break;
      case "flatten": {
        let x = ins[0] as string;
        if (inShape.length === 3) {
          nodes.push({
            op: "Transpose",
            name: `${n.name}_to_nhwc`,
            inputs: [x],
            outputs: [`${out}_nhwc`],
            attributes: { perm: [0, 2, 3, 1] },
          });
          x = `${out}_nhwc`;
        }
        nodes.push({ op: "Flatten", name: n.name, inputs: [x], outputs: [out], attributes: { axis: 1 } });
        break;
      }
    }
    shapes.set(n.name, n.shape);
    tensor.set(n.name, result);
  }
  const last = tensor.get(graph.output) as string;
  nodes.push({ op: "Identity", name: "output", inputs: [last], outputs: [ONNX_OUTPUT] });
  const [h, w, c] = graph.input.shape;
  const classes = (shapes.get(graph.output) as number[])[0] as number;
  return encodeModel({
    graphName: info.architecture,
    nodes,
    initializers,
    inputs: [{ name: ONNX_INPUT, elemType: TENSOR_FLOAT, dims: ["batch", h, w, c] }],
    outputs: [{ name: ONNX_OUTPUT, elemType: TENSOR_FLOAT, dims: ["batch", classes] }],
    opset: ONNX_OPSET,
    producerName: "arbor-train",
    producerVersion: info.producerVersion ?? "0",
    docString: `${info.architecture} trained with Arbor. ${describePreprocessing(info.preprocessing)}`,
    metadata: {
      [METADATA_KEYS.architecture]: info.architecture,
      [METADATA_KEYS.classes]: JSON.stringify(info.classes),
      [METADATA_KEYS.preprocessing]: JSON.stringify({
        layout: "NHWC",
        channels: "RGB",
        scale: 1 / 255,
        ...info.preprocessing,
      }),
    },
  });
}

/** ONNX pads [top, left, bottom, right] for tfjs "same"/"valid" on an [h, w, c] input. */
function pads(
  padding: "same" | "valid",
  inShape: number[],
  kernel: [number, number],
  strides: [number, number],
): number[] {
  if (padding === "valid") return [0, 0, 0, 0];
  const [top, bottom] = samePads(inShape[0] as number, kernel[0], strides[0]);
  const [left, right] = samePads(inShape[1] as number, kernel[1], strides[1]);
  return [top, left, bottom, right];
}

function hwioToOihw(k: Float32Array, [kh, kw, ci, co]: [number, number, number, number]): Float32Array {
  const out = new Float32Array(k.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < ci; i++)
        for (let o = 0; o < co; o++)
          out[((o * ci + i) * kh + y) * kw + x] = k[((y * kw + x) * ci + i) * co + o] as number;
  return out;
}

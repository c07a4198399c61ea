import type { AffineNode, ConvNode, GraphNode, InferenceGraph } from "./graph.ts";

/**
 * Inference-time simplification of a graph:
 * - a BatchNorm (affine node) whose input is a conv read by nothing else is folded into that conv:
 *   W'[.., o] = W[.., o] · scale[o], b'[o] = b[o] · scale[o] + shift[o];
 * - a ReLU whose input is a conv, dense or add read by nothing else becomes that node's activation,
 *   so conv + bias + ReLU runs as one fused op.
 * Every ResNet block in the zoo is conv-BN-ReLU or conv-BN-add-ReLU, so after folding no BN and no
 * stand-alone ReLU is left (ResNet-20: 21 BN and 19 ReLU passes over the activations gone).
 */
export function foldGraph(graph: InferenceGraph): InferenceGraph {
  let nodes = graph.nodes.map((n) => ({ ...n }) as GraphNode);
  let output = graph.output;
  const replace = (from: string, to: string) => {
    for (const n of nodes) n.inputs = n.inputs.map((i) => (i === from ? to : i));
    if (output === from) output = to;
  };
  const readers = (name: string) => nodes.filter((n) => n.inputs.includes(name)).length + (output === name ? 1 : 0);
  const byName = () => new Map(nodes.map((n) => [n.name, n]));

  // BN into conv.
  let index = byName();
  for (const bn of nodes.filter((n): n is AffineNode => n.op === "affine")) {
    const conv = index.get(bn.inputs[0] as string);
    if (conv?.op !== "conv" || conv.activation !== "linear" || readers(conv.name) !== 1) continue;
    const folded = foldAffineIntoConv(conv, bn);
    nodes = nodes.filter((n) => n !== bn).map((n) => (n === conv ? folded : n));
    replace(bn.name, conv.name);
    index = byName();
  }
  // ReLU into its producer.
  for (const relu of nodes.filter((n) => n.op === "relu")) {
    const producer = index.get(relu.inputs[0] as string);
    if (!producer || readers(producer.name) !== 1) continue;
    if (producer.op !== "conv" && producer.op !== "dense" && producer.op !== "add") continue;
    if (producer.activation !== "linear") continue;
    producer.activation = "relu";
    nodes = nodes.filter((n) => n !== relu);
    replace(relu.name, producer.name);
  }
  return { input: graph.input, nodes, output };
}

function foldAffineIntoConv(conv: ConvNode, bn: AffineNode): ConvNode {
  const out = conv.kernelShape[3];
  const kernel = new Float32Array(conv.kernel.length);
  for (let i = 0; i < kernel.length; i++) kernel[i] = (conv.kernel[i] as number) * (bn.scale[i % out] as number);
  const bias = new Float32Array(out);
  for (let o = 0; o < out; o++) bias[o] = (conv.bias?.[o] ?? 0) * (bn.scale[o] as number) + (bn.shift[o] as number);
  return { ...conv, kernel, bias, shape: bn.shape };
}

import { ProtoWriter } from "./protobuf.ts";

/**
 * The ONNX messages the exporter writes, with field numbers from onnx/onnx.proto (IR version 8):
 * ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto (+ TypeProto,
 * TensorShapeProto), OperatorSetIdProto, StringStringEntryProto.
 */
export const IR_VERSION = 8; // onnx 1.12 (Debian bookworm's python3-onnx) reads IR ≤ 8
export const TENSOR_FLOAT = 1;
export const TENSOR_INT64 = 7;

const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_INTS = 7;

export type AttributeValue = number | string | number[] | { float: number };

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  name: string;
  attributes?: Record<string, AttributeValue>;
}

export interface TensorSpec {
  name: string;
  dims: number[];
  /** Float32 (TENSOR_FLOAT) or BigInt64 (TENSOR_INT64) data, written little-endian as raw_data. */
  data: Float32Array | BigInt64Array;
}

export interface ValueInfoSpec {
  name: string;
  elemType: number;
  /** A number is a fixed size; a string a symbolic one (e.g. the batch dimension). */
  dims: (number | string)[];
}

export interface ModelSpec {
  graphName: string;
  nodes: NodeSpec[];
  initializers: TensorSpec[];
  inputs: ValueInfoSpec[];
  outputs: ValueInfoSpec[];
  opset: number;
  producerName: string;
  producerVersion: string;
  docString: string;
  metadata: Record<string, string>;
}

function attribute(name: string, value: AttributeValue): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  if (typeof value === "string") return w.string(4, value).varint(20, ATTR_STRING);
  if (Array.isArray(value)) return w.packedVarints(8, value).varint(20, ATTR_INTS);
  if (typeof value === "object") return w.float(2, value.float).varint(20, ATTR_FLOAT);
  return w.varint(3, value).varint(20, ATTR_INT);
}

export function encodeNode(n: NodeSpec): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name).string(4, n.op);
  for (const [k, v] of Object.entries(n.attributes ?? {})) w.message(5, attribute(k, v));
  return w;
}

export function encodeTensor(t: TensorSpec): ProtoWriter {
  const w = new ProtoWriter().packedVarints(1, t.dims);
  w.varint(2, t.data instanceof Float32Array ? TENSOR_FLOAT : TENSOR_INT64).string(8, t.name);
  // raw_data is little-endian by the spec; typed arrays are in host order, little-endian on every Node target.
  return w.bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
}

export function encodeValueInfo(v: ValueInfoSpec): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.dims) {
    shape.message(1, typeof d === "number" ? new ProtoWriter().varint(1, d) : new ProtoWriter().string(2, d));
  }
  const tensorType = new ProtoWriter().varint(1, v.elemType).message(2, shape);
  return new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensorType));
}

export function encodeModel(m: ModelSpec): Uint8Array<ArrayBuffer> {
  const graph = new ProtoWriter();
  for (const n of m.nodes) graph.message(1, encodeNode(n));
  graph.string(2, m.graphName);
  for (const t of m.initializers) graph.message(5, encodeTensor(t));
  for (const i of m.inputs) graph.message(11, encodeValueInfo(i));
  for (const o of m.outputs) graph.message(12, encodeValueInfo(o));
  const model = new ProtoWriter()
    .varint(1, IR_VERSION)
    .string(2, m.producerName)
    .string(3, m.producerVersion)
    .string(6, m.docString)
    .message(7, graph)
    .message(8, new ProtoWriter().string(1, "").varint(2, m.opset));
  for (const [key, value] of Object.entries(m.metadata)) {
    model.message(14, new ProtoWriter().string(1, key).string(2, value));
  }
  return model.finish();
}

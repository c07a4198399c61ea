/**
 * Five small WebAssembly SIMD loops over the `wasm` backend's own heap, for the per-channel work of BatchNorm
 * and the ReLU gradient, which tfjs 4.22 does with several scalar or transposing kernels (profiled on a
 * ResNet-20 step: FusedBatchNorm ≈ 5.6 ms per 64×32×32×16 activation, a per-channel Sum ≈ 2.5 ms as it first
 * transposes; these loops make one 128-bit pass each, ≈ 0.3–0.6 ms). The module is assembled here, byte by
 * byte (no WAT toolchain, no dependency), and imports the backend's memory, so it reads and writes tensors in
 * place. Every pointer is a byte offset into that memory; `n` is a length in bytes; `cb` the bytes of one row
 * of channels (4·C, C a multiple of 4, rows contiguous as in NHWC).
 *   affine(x, m, s, t, y, n, cb, lo)     y = max((x − m[c])·s[c] + t[c], lo)   (lo = −∞: plain; 0: with ReLU)
 *   chanSum(x, n, cb, out)               out[c] += Σ_rows x
 *   bnSums(dy, x, mean, n, cb, sum, dot)  sum[c] += Σ dy;   dot[c] += Σ dy·(x − mean[c])
 *   reluGrad(dy, x, dx, n)               dx = x > 0 ? dy : 0
 *   square(x, y, n)                      y = x·x
 */
import type { KernelBackend, TensorInfo } from "@tensorflow/tfjs";

export interface SimdLoops {
  affine(x: number, m: number, s: number, t: number, y: number, n: number, cb: number, lo: number): void;
  chanSum(x: number, n: number, cb: number, out: number): void;
  bnSums(dy: number, x: number, mean: number, n: number, cb: number, sum: number, dot: number): void;
  reluGrad(dy: number, x: number, dx: number, n: number): void;
  square(x: number, y: number, n: number): void;
}

/** What kernels need of tfjs's BackendWasm (not exported with these members typed). */
export interface WasmBackendInternals extends KernelBackend {
  wasm: { wasmMemory?: object; asm?: { memory?: object }; HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: "float32"): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  incRef(dataId: object): void;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: object) => object;
}
const { WebAssembly } = globalThis as unknown as { WebAssembly: WasmApi };

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
};
const str = (s: string) => [...uleb(s.length), ...Buffer.from(s, "utf8")];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];

// Instructions.
const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const i32c = (v: number) => [0x41, v]; // small non-negative constants only (one SLEB byte)
const add32 = [0x6a];
const simd = (op: number, ...imm: number[]) => [0xfd, ...uleb(op), ...imm];
const load = (base: number, off: number) => [...get(base), ...get(off), ...add32, ...simd(0, 0, 0)];
const storeAt = (base: number, off: number, value: number[]) => [
  ...get(base),
  ...get(off),
  ...add32,
  ...value,
  ...simd(11, 0, 0),
];
const [F4_GT, V_AND, F4_ADD, F4_SUB, F4_MUL, F4_MAX, F4_SPLAT] = [68, 78, 228, 229, 230, 233, 19];

/** `for (p = 0, j = 0; p < n; p += 16, j = j + 16 == cb ? 0 : j + 16) body` (j only when cb is given). */
function loop(p: number, n: number, body: number[], j?: number, cb?: number): number[] {
  const advanceJ =
    j === undefined || cb === undefined
      ? []
      : [
          ...get(j),
          ...i32c(16),
          ...add32,
          ...set(j),
          ...i32c(0),
          ...get(j),
          ...get(j),
          ...get(cb),
          0x46,
          0x1b,
          ...set(j),
        ];
  return [
    ...[0x02, 0x40, 0x03, 0x40],
    ...get(p),
    ...get(n),
    0x4f, // i32.ge_u
    0x0d,
    1, // br_if out of the block
    ...body,
    ...get(p),
    ...i32c(16),
    ...add32,
    ...set(p),
    ...advanceJ,
    ...[0x0c, 0, 0x0b, 0x0b],
  ];
}

interface Fn {
  name: string;
  params: number[];
  locals: number[];
  code: number[];
}

// affine: params x0 m1 s2 t3 y4 n5 cb6 lo7; locals p8 j9 lov10
const affine: Fn = {
  name: "affine",
  params: [I32, I32, I32, I32, I32, I32, I32, F32],
  locals: [I32, I32, V128],
  code: [
    ...get(7),
    ...simd(F4_SPLAT),
    ...set(10),
    ...loop(
      8,
      5,
      storeAt(4, 8, [
        ...load(0, 8),
        ...load(1, 9),
        ...simd(F4_SUB),
        ...load(2, 9),
        ...simd(F4_MUL),
        ...load(3, 9),
        ...simd(F4_ADD),
        ...get(10),
        ...simd(F4_MAX),
      ]),
      9,
      6,
    ),
  ],
};
// chanSum: params x0 n1 cb2 out3; locals p4 j5
const chanSum: Fn = {
  name: "chanSum",
  params: [I32, I32, I32, I32],
  locals: [I32, I32],
  code: loop(4, 1, storeAt(3, 5, [...load(3, 5), ...load(0, 4), ...simd(F4_ADD)]), 5, 2),
};
// bnSums: params dy0 x1 mean2 n3 cb4 sum5 dot6; locals p7 j8 d9
const bnSums: Fn = {
  name: "bnSums",
  params: [I32, I32, I32, I32, I32, I32, I32],
  locals: [I32, I32, V128],
  code: loop(
    7,
    3,
    [
      ...load(0, 7),
      ...set(9),
      ...storeAt(5, 8, [...load(5, 8), ...get(9), ...simd(F4_ADD)]),
      ...storeAt(6, 8, [
        ...load(6, 8),
        ...get(9),
        ...load(1, 7),
        ...load(2, 8),
        ...simd(F4_SUB),
        ...simd(F4_MUL),
        ...simd(F4_ADD),
      ]),
    ],
    8,
    4,
  ),
};
// reluGrad: params dy0 x1 dx2 n3; locals p4
const reluGrad: Fn = {
  name: "reluGrad",
  params: [I32, I32, I32, I32],
  locals: [I32],
  code: loop(
    4,
    3,
    storeAt(2, 4, [
      ...load(0, 4),
      ...load(1, 4),
      ...simd(12, ...new Array(16).fill(0)),
      ...simd(F4_GT),
      ...simd(V_AND),
    ]),
  ),
};
// square: params x0 y1 n2; locals p3
const square: Fn = {
  name: "square",
  params: [I32, I32, I32],
  locals: [I32],
  code: loop(3, 2, storeAt(1, 3, [...load(0, 3), ...load(0, 3), ...simd(F4_MUL)])),
};
const FUNCTIONS = [affine, chanSum, bnSums, reluGrad, square];

/** The module's bytes; `shared` must match the memory it will import (threaded builds share theirs). */
export function assemble(shared: boolean): Uint8Array {
  const types = FUNCTIONS.map((f) => [0x60, ...vec(f.params.map((p) => [p])), 0]);
  // Shared memories must declare a maximum: 65536 pages (4 GiB) admits any the backend may have.
  const limits = shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const imports = vec([[...str("env"), ...str("memory"), 0x02, ...limits]]);
  const bodies = FUNCTIONS.map((f) => {
    const body = [...vec(f.locals.map((t) => [1, t])), ...f.code, 0x0b];
    return [...uleb(body.length), ...body];
  });
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(2, imports),
    ...section(3, vec(FUNCTIONS.map((_, i) => uleb(i)))),
    ...section(7, vec(FUNCTIONS.map((f, i) => [...str(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(bodies)),
  ]);
}

const instances = new WeakMap<object, SimdLoops | null>();

/** The loops bound to `backend`'s heap, or null where its memory cannot be found (then use tfjs's kernels). */
export function simdLoops(backend: object): SimdLoops | null {
  const wasm = (backend as WasmBackendInternals).wasm;
  const memory = wasm?.wasmMemory ?? wasm?.asm?.memory;
  if (!memory) return null;
  const cached = instances.get(memory);
  if (cached !== undefined) return cached;
  let loops: SimdLoops | null = null;
  try {
    const shared = wasm.HEAPU8.buffer instanceof SharedArrayBuffer;
    const module = new WebAssembly.Module(assemble(shared));
    loops = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as SimdLoops;
  } catch (error) {
    console.warn(`arbor wasm SIMD loops unavailable (${(error as Error).message}); using tfjs's kernels`);
  }
  instances.set(memory, loops);
  return loops;
}

/** Byte offset of `info`'s data in the wasm heap. */
export function heapOffset(backend: object, info: TensorInfo): number {
  const entry = (backend as WasmBackendInternals).dataIdMap.get(info.dataId);
  if (!entry) throw new Error("tensor is not on the wasm backend");
  return entry.memoryOffset;
}

/**
 * Per-channel reductions over every row of an NHWC-like tensor (all axes but the last), on the SIMD loops of
 * simd.ts, and `Sum`/`Mean` for `wasm` built on them. tfjs's wasm Sum/Mean first transpose such a tensor to
 * put the reduced axes last (a full copy) and then sum with scalar C++: ≈ 2.5 ms for 64×32×32×16, called
 * several times per BatchNorm layer and step (moments, the bias/offset gradients). One SIMD pass is ≈ 4×
 * faster. Rows are summed in float32 blocks of ROWS_PER_BLOCK, the blocks in float64, so the error stays that
 * of a 256-term float32 sum whatever the batch (65,536 rows at batch 64 of 32×32).
 */
import { type KernelConfig, type TensorInfo, util } from "@tensorflow/tfjs";
import { heapOffset, type SimdLoops, simdLoops, type WasmBackendInternals } from "./simd.ts";

const ROWS_PER_BLOCK = 256;

/** Channels (last dim) when `x` is float32 with a multiple of 4 of them, the loops' layout; else 0. */
export function simdChannels(x: TensorInfo): number {
  const c = x.shape[x.shape.length - 1] ?? 0;
  return x.dtype === "float32" && x.shape.length >= 2 && c > 0 && c % 4 === 0 && util.sizeFromShape(x.shape) > 0
    ? c
    : 0;
}

/** Scratch float32 heap tensor (the caller disposes it) and its current view. */
export function scratch(backend: WasmBackendInternals, length: number): { info: TensorInfo; values: Float32Array } {
  const info = backend.makeOutput([length], "float32");
  return { info, values: backend.typedArrayFromHeap(info) };
}

/**
 * Runs `pass(rowOffsetBytes, blockBytes, partials…)` over the rows of a [rows, c] float32 layout in blocks,
 * each accumulating into `outputs` zeroed float32 partial vectors of c, and returns their float64 totals.
 */
export function blockedChannelSums(
  backend: WasmBackendInternals,
  rows: number,
  c: number,
  outputs: number,
  pass: (rowBytes: number, blockBytes: number, partials: number[]) => void,
): Float64Array[] {
  const totals = Array.from({ length: outputs }, () => new Float64Array(c));
  const part = scratch(backend, outputs * c);
  const base = heapOffset(backend, part.info);
  const partials = totals.map((_, k) => base + 4 * k * c);
  for (let row = 0; row < rows; row += ROWS_PER_BLOCK) {
    const values = backend.typedArrayFromHeap(part.info);
    values.fill(0);
    pass(row * 4 * c, Math.min(ROWS_PER_BLOCK, rows - row) * 4 * c, partials);
    totals.forEach((total, k) => {
      for (let ch = 0; ch < c; ch++) total[ch] = (total[ch] ?? 0) + (values[k * c + ch] ?? 0);
    });
  }
  backend.disposeData(part.info.dataId);
  return totals;
}

/** Σ over rows of x, per channel (float64). */
export function channelSum(loops: SimdLoops, backend: WasmBackendInternals, x: TensorInfo, c: number) {
  const rows = util.sizeFromShape(x.shape) / c;
  const xAt = heapOffset(backend, x);
  const [sum] = blockedChannelSums(backend, rows, c, 1, (rowBytes, bytes, [out]) =>
    loops.chanSum(xAt + rowBytes, bytes, 4 * c, out ?? 0),
  );
  return sum ?? new Float64Array(c);
}

/** tfjs's own kernel is `fallback` (its setup must then run with ours, as it is no longer registered). */
export function channelReduceConfig(kernelName: "Sum" | "Mean", fallback: KernelConfig | undefined): KernelConfig {
  return {
    kernelName,
    backendName: "wasm",
    ...(fallback?.setupFunc ? { setupFunc: fallback.setupFunc } : {}),
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: TensorInfo };
      const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
      const rank = x.shape.length;
      const axes = util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
      const c = simdChannels(x);
      const loops = simdLoops(args.backend);
      const leading = axes.length === rank - 1 && axes.every((a, i) => a === i);
      if (!loops || !c || !leading) {
        if (!fallback) throw new Error(`wasm ${kernelName}: tfjs's kernel is missing`);
        return fallback.kernelFunc(args);
      }
      const backend = args.backend as WasmBackendInternals;
      const sum = channelSum(loops, backend, x, c);
      const scale = kernelName === "Mean" ? c / util.sizeFromShape(x.shape) : 1;
      const out = backend.makeOutput(keepDims ? [...new Array(rank - 1).fill(1), c] : [c], "float32");
      const values = backend.typedArrayFromHeap(out);
      for (let ch = 0; ch < c; ch++) values[ch] = (sum[ch] ?? 0) * scale;
      return out;
    },
  };
}

/**
 * BatchNorm on `wasm` in one SIMD pass forward and two backward (simd.ts), instead of tfjs's scalar
 * FusedBatchNorm kernel (≈ 5.6 ms for 64×32×32×16) and its gradient, which tfjs composes of ~13 full-size
 * kernels per layer (three Tiles, seven Multiplies, Subs, transposing Sums). Profiled on a ResNet-20 training
 * step these were the largest cost after the convolutions (packages/train/scripts/profile-train.ts).
 *   forward:   y = (x − mean)·s + offset,  s = scale / √(variance + ε)            one affine pass
 *   backward:  Σdy and Σdy·(x − mean) per channel in one pass (bnSums), then      (ArborBatchNormGrad)
 *              dx = dy·s (the direct term; mean and variance get their own      (ArborBatchNormDx)
 *              gradients, which flow back through tf.moments as in tfjs), and
 *              d mean = −s·Σdy,  d variance = −½·s·r²·Σdy(x−μ),  d scale = r·Σdy(x−μ),  d offset = Σdy,
 *              with r = 1/√(variance + ε): tfjs's formulas (FusedBatchNorm_grad.js), reduced first.
 * The layer (tf.layers.batchNormalization) and its weights are unchanged: only kernels and the gradient of
 * the FusedBatchNorm op are replaced. Other backends, other dtypes, and parameters that are not one value per
 * channel keep tfjs's kernel and gradient.
 */

import type { GradConfig, KernelConfig, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs";
import * as tf from "@tensorflow/tfjs";
import { blockedChannelSums, scratch, simdChannels } from "./channel-sums.ts";
import { heapOffset, simdLoops, type WasmBackendInternals } from "./simd.ts";

type BnInputs = { x: TensorInfo; mean: TensorInfo; variance: TensorInfo; offset?: TensorInfo; scale?: TensorInfo };
const epsilonOf = (attrs: NamedAttrMap | undefined) => Number((attrs as { varianceEpsilon?: number }).varianceEpsilon);

/** One value per channel of `c`, laid out along the last axis (so it broadcasts as the loops assume). */
function perChannel(p: TensorInfo | undefined, c: number): boolean {
  return !p || (p.dtype === "float32" && p.shape[p.shape.length - 1] === c && tf.util.sizeFromShape(p.shape) === c);
}

function fastPath(backend: object, x: TensorInfo, params: (TensorInfo | undefined)[]): number {
  const c = simdChannels(x);
  return c && simdLoops(backend) && params.every((p) => perChannel(p, c)) ? c : 0;
}

/** s = scale/√(variance + ε) (1 without scale), read from the heap. */
function channelScale(backend: WasmBackendInternals, variance: TensorInfo, scale: TensorInfo | undefined, eps: number) {
  const v = backend.typedArrayFromHeap(variance);
  const g = scale ? backend.typedArrayFromHeap(scale) : undefined;
  return Float64Array.from(v, (vc, ch) => (g ? (g[ch] ?? 0) : 1) / Math.sqrt(vc + eps));
}

/** y = max((x − m)·s + t, lo) with per-channel s and t (m = zeros when `mean` is undefined). */
function affine(
  backend: WasmBackendInternals,
  x: TensorInfo,
  c: number,
  s: Float64Array,
  t: Float64Array | undefined,
  mean?: TensorInfo,
) {
  const loops = simdLoops(backend);
  if (!loops) throw new Error("wasm SIMD loops unavailable");
  const out = backend.makeOutput([...x.shape], "float32");
  const params = scratch(backend, 3 * c); // [zeros | s | t]
  const values = backend.typedArrayFromHeap(params.info);
  values.fill(0);
  for (let ch = 0; ch < c; ch++) {
    values[c + ch] = s[ch] ?? 0;
    values[2 * c + ch] = t?.[ch] ?? 0;
  }
  const at = heapOffset(backend, params.info);
  const m = mean ? heapOffset(backend, mean) : at;
  const bytes = 4 * tf.util.sizeFromShape(x.shape);
  loops.affine(heapOffset(backend, x), m, at + 4 * c, at + 8 * c, heapOffset(backend, out), bytes, 4 * c, -Infinity);
  backend.disposeData(params.info.dataId);
  return out;
}

/** FusedBatchNorm (forward) for `wasm`; `fallback` is tfjs's own kernel. */
export function fusedBatchNormConfig(fallback: KernelConfig | undefined): KernelConfig {
  return {
    kernelName: "FusedBatchNorm",
    backendName: "wasm",
    ...(fallback?.setupFunc ? { setupFunc: fallback.setupFunc } : {}),
    kernelFunc: (args) => {
      const { x, mean, variance, offset, scale } = args.inputs as BnInputs;
      const c = fastPath(args.backend, x, [mean, variance, offset, scale]);
      if (!c) {
        if (!fallback) throw new Error("wasm FusedBatchNorm: tfjs's kernel is missing");
        return fallback.kernelFunc(args);
      }
      const backend = args.backend as WasmBackendInternals;
      const s = channelScale(backend, variance, scale, epsilonOf(args.attrs));
      const t = offset ? Float64Array.from(backend.typedArrayFromHeap(offset)) : undefined;
      return affine(backend, x, c, s, t, mean);
    },
  };
}

/** [4, C]: d mean, d variance, d scale, d offset, from dy, x, mean, variance (and scale). */
export const batchNormGradConfig: KernelConfig = {
  kernelName: "ArborBatchNormGrad",
  backendName: "wasm",
  kernelFunc: ({ inputs, backend: kernelBackend, attrs }) => {
    const { dy, x, mean, variance, scale } = inputs as { dy: TensorInfo } & BnInputs;
    const backend = kernelBackend as WasmBackendInternals;
    const loops = simdLoops(backend);
    const c = fastPath(backend, x, [mean, variance, scale]);
    if (!loops || !c) throw new Error("ArborBatchNormGrad: needs float32 NHWC with a multiple of 4 channels");
    const eps = epsilonOf(attrs);
    const [dyAt, xAt, meanAt] = [heapOffset(backend, dy), heapOffset(backend, x), heapOffset(backend, mean)];
    const rows = tf.util.sizeFromShape(x.shape) / c;
    const [sumDy = new Float64Array(c), dot = new Float64Array(c)] = blockedChannelSums(
      backend,
      rows,
      c,
      2,
      (rowBytes, bytes, [sum = 0, dotOut = 0]) =>
        loops.bnSums(dyAt + rowBytes, xAt + rowBytes, meanAt, bytes, 4 * c, sum, dotOut),
    );
    const out = backend.makeOutput([4, c], "float32");
    const v = backend.typedArrayFromHeap(variance);
    const g = scale ? backend.typedArrayFromHeap(scale) : undefined;
    const o = backend.typedArrayFromHeap(out);
    for (let ch = 0; ch < c; ch++) {
      const r = 1 / Math.sqrt((v[ch] ?? 0) + eps);
      const gc = g ? (g[ch] ?? 0) : 1;
      const [sd, dd] = [sumDy[ch] ?? 0, dot[ch] ?? 0];
      o[ch] = -gc * r * sd;
      o[c + ch] = -0.5 * gc * r * r * r * dd;
      o[2 * c + ch] = r * dd;
      o[3 * c + ch] = sd;
    }
    return out;
  },
};

/** dx = dy·scale/√(variance + ε): the direct term of the BatchNorm input gradient. */
export const batchNormDxConfig: KernelConfig = {
  kernelName: "ArborBatchNormDx",
  backendName: "wasm",
  kernelFunc: ({ inputs, backend: kernelBackend, attrs }) => {
    const { dy, variance, scale } = inputs as { dy: TensorInfo; variance: TensorInfo; scale?: TensorInfo };
    const backend = kernelBackend as WasmBackendInternals;
    const c = fastPath(backend, dy, [variance, scale]);
    if (!c) throw new Error("ArborBatchNormDx: needs float32 NHWC with a multiple of 4 channels");
    return affine(backend, dy, c, channelScale(backend, variance, scale, epsilonOf(attrs)), undefined);
  },
};

/** The FusedBatchNorm gradient: ours on `wasm` where the kernels above apply, else `original` (tfjs's). */
export function batchNormGradientConfig(original: GradConfig): GradConfig {
  return {
    kernelName: "FusedBatchNorm",
    inputsToSave: ["x", "mean", "variance", "scale"],
    gradFunc: (dy, saved, attrs) => {
      const [x, mean, variance, scale] = saved as (tf.Tensor | undefined)[];
      const grad = dy as tf.Tensor;
      const usable = x && mean && variance && grad.dtype === "float32" && grad.size === x.size;
      if (tf.getBackend() !== "wasm" || !usable || !fastPath(tf.backend(), x, [mean, variance, scale])) {
        return original.gradFunc(dy, saved, attrs);
      }
      const c = x.shape[x.shape.length - 1] ?? 0;
      const run = (name: string, inputs: Record<string, tf.Tensor>) =>
        tf.engine().runKernel(name, inputs, attrs as NamedAttrMap) as tf.Tensor;
      const withScale = (inputs: Record<string, tf.Tensor>) => (scale ? { ...inputs, scale } : inputs);
      // Made here, not in a derivative: each derivative runs in its own tidy, and all four need these sums.
      // It lives until the backward pass's tidy ends.
      const perChannel = run("ArborBatchNormGrad", withScale({ dy: grad, x, mean, variance }));
      const row = (i: number) => () => tf.reshape(tf.slice(perChannel, [i, 0], [1, c]), mean.shape);
      return {
        x: () => run("ArborBatchNormDx", withScale({ dy: grad, variance })),
        mean: row(0),
        variance: row(1),
        scale: row(2),
        offset: row(3),
      };
    },
  };
}

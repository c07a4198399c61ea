/**
 * Elementwise kernels of a training step for `wasm`, on simd.ts's affine loop (one pass, in place on the heap):
 * - Multiply, Add, Sub of an activation by a per-channel vector (shape [C] or [1,…,1,C]): tfjs's wasm kernels
 *   take a slow broadcasting path for these (≈ 2 ms for 64×32×32×16 vs ≈ 0.9 ms for same-shape operands, on a
 *   quiet machine); they come from tf.moments (x − mean) and from the Mean gradient (dy·ones) in every
 *   BatchNorm layer, forward and backward;
 * - Relu as max(x, 0) and Square as x·x over the flat data (tfjs's are scalar: Square ≈ 2× a Multiply);
 * - Identity without a copy (tfjs's wasm Identity copies the tensor, ~80 full-size copies per ResNet-20 step:
 *   tensors are immutable, so sharing the data, as tfjs's cpu backend and wasm Reshape do, is safe).
 * Other shapes and dtypes keep tfjs's kernels.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from "@tensorflow/tfjs";
import { util } from "@tensorflow/tfjs";
import { scratch, simdChannels } from "./channel-sums.ts";
import { heapOffset, simdLoops, type WasmBackendInternals } from "./simd.ts";

type Binary = "Multiply" | "Add" | "Sub";

/** With tfjs's kernel `fallback` (its setup runs with ours, as it is no longer registered). */
function withFallback(
  kernelName: string,
  fallback: KernelConfig | undefined,
  fast: (args: Parameters<KernelFunc>[0]) => TensorInfo | null,
): KernelConfig {
  return {
    kernelName,
    backendName: "wasm",
    ...(fallback?.setupFunc ? { setupFunc: fallback.setupFunc } : {}),
    kernelFunc: (args) => {
      const out = fast(args);
      if (out) return out;
      if (!fallback) throw new Error(`wasm ${kernelName}: tfjs's kernel is missing`);
      return fallback.kernelFunc(args);
    },
  };
}

/** `vector` holds one value per channel of `full` (so broadcasting gives full's shape). */
function isChannelVector(vector: TensorInfo, full: TensorInfo, c: number): boolean {
  return (
    vector.dtype === "float32" &&
    vector.shape.length <= full.shape.length &&
    vector.shape[vector.shape.length - 1] === c &&
    util.sizeFromShape(vector.shape) === c
  );
}

export function channelBroadcastConfig(kernelName: Binary, fallback: KernelConfig | undefined): KernelConfig {
  return withFallback(kernelName, fallback, ({ inputs, backend: kernelBackend }) => {
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const loops = simdLoops(kernelBackend);
    const backend = kernelBackend as WasmBackendInternals;
    for (const [full, vector, vectorFirst] of [
      [a, b, false],
      [b, a, true],
    ] as const) {
      const c = simdChannels(full);
      if (!loops || !c || util.sizeFromShape(full.shape) === c || !isChannelVector(vector, full, c)) continue;
      const out = backend.makeOutput([...full.shape], "float32");
      const consts = scratch(backend, 3 * c); // [zeros | ones | minus ones]
      consts.values.fill(0, 0, c);
      consts.values.fill(1, c, 2 * c);
      consts.values.fill(-1, 2 * c);
      const at = heapOffset(backend, consts.info);
      const [zeros, ones, minusOnes] = [at, at + 4 * c, at + 8 * c];
      const v = heapOffset(backend, vector);
      // y = (x − m)·s + t
      const [m, s, t] =
        kernelName === "Multiply"
          ? [zeros, v, zeros]
          : kernelName === "Add"
            ? [zeros, ones, v]
            : vectorFirst
              ? [zeros, minusOnes, v] // vector − x
              : [v, ones, zeros]; // x − vector
      const bytes = 4 * util.sizeFromShape(full.shape);
      loops.affine(heapOffset(backend, full), m, s, t, heapOffset(backend, out), bytes, 4 * c, -Infinity);
      backend.disposeData(consts.info.dataId);
      return out;
    }
    return null;
  });
}

export function reluConfig(fallback: KernelConfig | undefined): KernelConfig {
  return withFallback("Relu", fallback, ({ inputs, backend: kernelBackend }) => {
    const { x } = inputs as { x: TensorInfo };
    const loops = simdLoops(kernelBackend);
    const n = util.sizeFromShape(x.shape);
    if (!loops || x.dtype !== "float32" || n === 0 || n % 4 !== 0) return null;
    const backend = kernelBackend as WasmBackendInternals;
    const out = backend.makeOutput([...x.shape], "float32");
    const consts = scratch(backend, 8); // [zeros | ones] as 4 "channels"
    consts.values.fill(0, 0, 4);
    consts.values.fill(1, 4);
    const at = heapOffset(backend, consts.info);
    loops.affine(heapOffset(backend, x), at, at + 16, at, heapOffset(backend, out), 4 * n, 16, 0);
    backend.disposeData(consts.info.dataId);
    return out;
  });
}

export function squareConfig(fallback: KernelConfig | undefined): KernelConfig {
  return withFallback("Square", fallback, ({ inputs, backend: kernelBackend }) => {
    const { x } = inputs as { x: TensorInfo };
    const loops = simdLoops(kernelBackend);
    const n = util.sizeFromShape(x.shape);
    if (!loops || x.dtype !== "float32" || n === 0 || n % 4 !== 0) return null;
    const backend = kernelBackend as WasmBackendInternals;
    const out = backend.makeOutput([...x.shape], "float32");
    loops.square(heapOffset(backend, x), heapOffset(backend, out), 4 * n);
    return out;
  });
}

export const identityConfig: KernelConfig = {
  kernelName: "Identity",
  backendName: "wasm",
  kernelFunc: ({ inputs, backend }) => {
    const { x } = inputs as { x: TensorInfo };
    (backend as WasmBackendInternals).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  },
};

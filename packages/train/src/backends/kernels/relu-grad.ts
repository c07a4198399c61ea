/**
 * The ReLU gradient on `wasm` as one SIMD pass, dx = x > 0 ? dy : 0 (simd.ts), instead of tfjs's
 * Step, Cast and Multiply kernels (three full-size passes and two temporaries per ReLU per step).
 */

import type { GradConfig, KernelConfig, TensorInfo } from "@tensorflow/tfjs";
import * as tf from "@tensorflow/tfjs";
import { heapOffset, simdLoops, type WasmBackendInternals } from "./simd.ts";

export const reluGradKernelConfig: KernelConfig = {
  kernelName: "ArborReluGrad",
  backendName: "wasm",
  kernelFunc: ({ inputs, backend: kernelBackend }) => {
    const { dy, x } = inputs as { dy: TensorInfo; x: TensorInfo };
    const backend = kernelBackend as WasmBackendInternals;
    const loops = simdLoops(backend);
    if (!loops) throw new Error("ArborReluGrad: wasm SIMD loops unavailable");
    const out = backend.makeOutput([...x.shape], "float32");
    const n = tf.util.sizeFromShape(x.shape);
    const vectors = n - (n % 4);
    loops.reluGrad(heapOffset(backend, dy), heapOffset(backend, x), heapOffset(backend, out), 4 * vectors);
    if (vectors < n) {
      const [d, v, o] = [dy, x, out].map((t) => backend.typedArrayFromHeap(t)) as [
        Float32Array,
        Float32Array,
        Float32Array,
      ];
      for (let i = vectors; i < n; i++) o[i] = (v[i] ?? 0) > 0 ? (d[i] ?? 0) : 0;
    }
    return out;
  },
};

/** The Relu gradient: ours on `wasm` for float32, else `original` (tfjs's). */
export function reluGradientConfig(original: GradConfig): GradConfig {
  return {
    kernelName: "Relu",
    inputsToSave: ["x"],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as tf.Tensor[];
      const grad = dy as tf.Tensor;
      if (tf.getBackend() !== "wasm" || !x || x.dtype !== "float32" || !simdLoops(tf.backend())) {
        return original.gradFunc(dy, saved, attrs);
      }
      return { x: () => tf.engine().runKernel("ArborReluGrad", { dy: grad, x }) as tf.Tensor };
    },
  };
}

/**
 * `Tile` for `wasm` (float32). tfjs's wasm Tile is a scalar C++ loop, and tfjs's BatchNorm gradient tiles
 * per-channel vectors to the full activation shape several times per layer: profiled on a ResNet-20 training
 * step it took more time than all the convolutions together. A tile is a broadcast: x reshaped to
 * [1, s0, 1, s1, …] times ones of [r0, s0, r1, s1, …] (reps r, shape s), read back as [r0·s0, r1·s1, …]; that
 * is one multithreaded XNNPACK broadcasting multiply. Axes with r = 1 or s = 1 need only one of the two dims,
 * which keeps ranks within XNNPACK's 6; other cases (or other dtypes) use tfjs's kernel.
 */
import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs";
import { WasmOps } from "./wasm-ops.ts";

const XNNPACK_MAX_RANK = 6;

/** `fallback` is tfjs's own wasm Tile (whose setup must then run with ours, as it is no longer registered). */
export function tileConfig(fallback: KernelConfig | undefined): KernelConfig {
  return {
    kernelName: "Tile",
    backendName: "wasm",
    ...(fallback?.setupFunc ? { setupFunc: fallback.setupFunc } : {}),
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: TensorInfo };
      const { reps } = args.attrs as unknown as { reps: number[] };
      const xDims: number[] = [];
      const outDims: number[] = [];
      x.shape.forEach((s, i) => {
        const r = reps[i] ?? 1;
        if (r === 1 || s === 1) {
          xDims.push(r === 1 ? s : 1);
          outDims.push(r * s);
        } else {
          xDims.push(1, s);
          outDims.push(r, s);
        }
      });
      if (x.dtype !== "float32" || outDims.length > XNNPACK_MAX_RANK) {
        if (!fallback) throw new Error("wasm Tile: tfjs's kernel is missing");
        return fallback.kernelFunc(args);
      }
      const ops = new WasmOps(args.backend);
      const ones = ops.run("Fill", {}, { shape: outDims, value: 1, dtype: "float32" });
      const tiled = ops.multiply(ops.reshape(x, xDims), ones);
      return ops.done(
        ops.reshape(
          tiled,
          x.shape.map((s, i) => s * (reps[i] ?? 1)),
        ),
      );
    },
  };
}

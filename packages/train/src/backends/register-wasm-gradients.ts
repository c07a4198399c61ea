/**
 * Registers, for the `wasm` backend, the backward kernels a CNN training step needs that tfjs 4.22 lacks or
 * implements slowly. Each is composed of multithreaded wasm (XNNPACK) kernels only: see kernels/*.ts.
 */
import { getKernel, type KernelConfig, registerKernel, unregisterKernel } from "@tensorflow/tfjs";
// Registers tfjs's wasm kernels first: tileConfig below wraps tfjs's own Tile.
import "@tensorflow/tfjs-backend-wasm";
import { conv2DBackpropFilterConfig } from "./kernels/conv2d-backprop-filter.ts";
import { conv2DBackpropInputConfig } from "./kernels/conv2d-backprop-input.ts";
import { depthwiseConv2dNativeBackpropFilterConfig } from "./kernels/depthwise-conv2d-backprop-filter.ts";
import { depthwiseConv2dNativeBackpropInputConfig } from "./kernels/depthwise-conv2d-backprop-input.ts";
import { maxPoolGradConfig } from "./kernels/max-pool-grad.ts";
import { tileConfig } from "./kernels/tile.ts";

export const WASM_GRADIENT_KERNELS: readonly KernelConfig[] = [
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  maxPoolGradConfig,
  // Not a gradient kernel, but tfjs's BatchNorm gradient is built on it (see kernels/tile.ts).
  tileConfig(getKernel("Tile", "wasm")),
];

/** Idempotent; replaces tfjs's own wasm kernel of the same name where there is one. */
export function registerWasmGradients(): void {
  for (const config of WASM_GRADIENT_KERNELS) {
    if (getKernel(config.kernelName, "wasm") === config) continue;
    if (getKernel(config.kernelName, "wasm")) unregisterKernel(config.kernelName, "wasm");
    registerKernel(config);
  }
}

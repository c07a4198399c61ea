/**
 * Registers, for the `wasm` backend, the backward kernels a CNN training step needs that tfjs 4.22 lacks or
 * implements slowly, and faster kernels for the BatchNorm/ReLU hot path of a training step. The convolution
 * and pooling ones are composed of multithreaded wasm (XNNPACK) kernels (see kernels/*.ts); the BatchNorm,
 * per-channel sum and ReLU-gradient ones are SIMD loops over the backend's heap (kernels/simd.ts). The
 * FusedBatchNorm and Relu gradients are replaced by ones that use those kernels on `wasm` and defer to tfjs's
 * own everywhere else.
 */
import {
  type GradConfig,
  getGradient,
  getKernel,
  type KernelConfig,
  registerGradient,
  registerKernel,
  unregisterKernel,
} from "@tensorflow/tfjs";
// Registers tfjs's wasm kernels first: the configs below wrap tfjs's own (Tile, Sum, Mean, FusedBatchNorm, …).
import "@tensorflow/tfjs-backend-wasm";
import {
  batchNormDxConfig,
  batchNormGradConfig,
  batchNormGradientConfig,
  fusedBatchNormConfig,
} from "./kernels/batch-norm.ts";
import { channelReduceConfig } from "./kernels/channel-sums.ts";
import { conv2DBackpropFilterConfig } from "./kernels/conv2d-backprop-filter.ts";
import { conv2DBackpropInputConfig } from "./kernels/conv2d-backprop-input.ts";
import { depthwiseConv2dNativeBackpropFilterConfig } from "./kernels/depthwise-conv2d-backprop-filter.ts";
import { depthwiseConv2dNativeBackpropInputConfig } from "./kernels/depthwise-conv2d-backprop-input.ts";
import { channelBroadcastConfig, identityConfig, reluConfig, squareConfig } from "./kernels/elementwise.ts";
import { maxPoolGradConfig } from "./kernels/max-pool-grad.ts";
import { reluGradientConfig, reluGradKernelConfig } from "./kernels/relu-grad.ts";
import { tileConfig } from "./kernels/tile.ts";

export const WASM_GRADIENT_KERNELS: readonly KernelConfig[] = [
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  maxPoolGradConfig,
  // Not a gradient kernel, but tfjs's BatchNorm gradient is built on it (see kernels/tile.ts).
  tileConfig(getKernel("Tile", "wasm")),
  fusedBatchNormConfig(getKernel("FusedBatchNorm", "wasm")),
  batchNormGradConfig,
  batchNormDxConfig,
  channelReduceConfig("Sum", getKernel("Sum", "wasm")),
  channelReduceConfig("Mean", getKernel("Mean", "wasm")),
  reluGradKernelConfig,
  channelBroadcastConfig("Multiply", getKernel("Multiply", "wasm")),
  channelBroadcastConfig("Add", getKernel("Add", "wasm")),
  channelBroadcastConfig("Sub", getKernel("Sub", "wasm")),
  reluConfig(getKernel("Relu", "wasm")),
  squareConfig(getKernel("Square", "wasm")),
  identityConfig,
];

/** Marks our gradients with the one they replace, so that a second copy of this module finds tfjs's. */
const REPLACES = Symbol.for("arbor.wasm.replacedGradient");
type Replacing = GradConfig & { [REPLACES]?: GradConfig };

/** tfjs's own gradient for `kernelName` (ours call it off `wasm`). */
function tfjsGradient(kernelName: string): GradConfig {
  const config = getGradient(kernelName) as Replacing | undefined;
  if (!config) throw new Error(`tfjs has no gradient for ${kernelName}`);
  return config[REPLACES] ?? config;
}

function replacing(make: (original: GradConfig) => GradConfig, kernelName: string): GradConfig {
  const original = tfjsGradient(kernelName);
  return Object.assign(make(original), { [REPLACES]: original });
}

export const WASM_GRADIENTS: readonly GradConfig[] = [
  replacing(batchNormGradientConfig, "FusedBatchNorm"),
  replacing(reluGradientConfig, "Relu"),
];

/** Idempotent; replaces tfjs's own wasm kernel (and gradient) of the same name where there is one. */
export function registerWasmGradients(): void {
  for (const config of WASM_GRADIENT_KERNELS) {
    if (getKernel(config.kernelName, "wasm") === config) continue;
    if (getKernel(config.kernelName, "wasm")) unregisterKernel(config.kernelName, "wasm");
    registerKernel(config);
  }
  for (const config of WASM_GRADIENTS) {
    if (getGradient(config.kernelName) !== config) registerGradient(config);
  }
}

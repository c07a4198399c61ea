/**
 * `Conv2DBackpropFilter` for `wasm` (tfjs 4.22 has none, so no conv layer can train there).
 *
 * dW[kh, kw, ci, co] = Σ_{b, oh, ow} xPadded[b, oh·s + kh, ow·s + kw, ci] · dy[b, oh, ow, co]
 * is itself a convolution: batch ← ci, spatial ← H×W, channels ← b, filter ← dy as [oh, ow, b, co], with
 * dilation = the forward stride and stride 1. So it runs on XNNPACK's multithreaded conv:
 *   conv2d(transpose(x, [3,1,2,0]), transpose(dy, [1,2,0,3])) → [ci, kh, kw, co] → transpose to [kh, kw, ci, co].
 * The forward conv's padding must be passed as explicit numbers: 'same' would make XNNPACK derive its own
 * (different) padding for this conv's shapes, silently giving wrong gradients (the test checks this).
 */
import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs";
import { convGradInfo, filterGradPads } from "./conv-attrs.ts";
import { WasmOps } from "./wasm-ops.ts";

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: "Conv2DBackpropFilter",
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { filterShape } = attrs as unknown as { filterShape: [number, number, number, number] };
    const info = convGradInfo("Conv2DBackpropFilter", attrs, x.shape, filterShape);
    const ops = new WasmOps(backend);
    const xT = ops.transpose(x, [3, 1, 2, 0]);
    const dyT = ops.transpose(dy, [1, 2, 0, 3]);
    const conv = ops.conv2d(xT, dyT, [1, 1], filterGradPads(info), [info.strideHeight, info.strideWidth]);
    const [ci = 0, , , co = 0] = conv.shape;
    const fitted = ops.slice(conv, [0, 0, 0, 0], [ci, info.filterHeight, info.filterWidth, co]);
    return ops.done(ops.transpose(fitted, [1, 2, 0, 3]));
  },
};

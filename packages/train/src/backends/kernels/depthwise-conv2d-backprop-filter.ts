/**
 * `DepthwiseConv2dNativeBackpropFilter` for `wasm` (missing in tfjs 4.22).
 *
 * dW[kh, kw, c, m] = Σ_{b, oh, ow} xPadded[b, oh·s + kh, ow·s + kw, c] · dy[b, oh, ow, c·M + m].
 * With the batch folded into the channels this is one depthwise conv (batch 1, channels b·C + c, multiplier M,
 * filter = dy laid out as [oh, ow, b·C + c, m], dilation = the forward stride, explicit forward pads), whose
 * [kh, kw, b, C·M] output is then summed over b.
 */
import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs";
import { convGradInfo, filterGradPads } from "./conv-attrs.ts";
import { WasmOps } from "./wasm-ops.ts";

export const depthwiseConv2dNativeBackpropFilterConfig: KernelConfig = {
  kernelName: "DepthwiseConv2dNativeBackpropFilter",
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { filterShape } = attrs as unknown as { filterShape: [number, number, number, number] };
    const [kh, kw, c, m] = filterShape;
    const [b = 0, h = 0, w = 0] = x.shape;
    const info = convGradInfo("DepthwiseConv2dNativeBackpropFilter", attrs, x.shape, filterShape, true);
    const ops = new WasmOps(backend);
    const xFolded = ops.reshape(ops.transpose(x, [1, 2, 0, 3]), [1, h, w, b * c]);
    const dyFolded = ops.reshape(ops.transpose(dy, [1, 2, 0, 3]), [info.outHeight, info.outWidth, b * c, m]);
    const conv = ops.depthwiseConv2d(xFolded, dyFolded, [1, 1], filterGradPads(info), [
      info.strideHeight,
      info.strideWidth,
    ]);
    const fitted = ops.slice(conv, [0, 0, 0, 0], [1, kh, kw, b * c * m]);
    const perImage = ops.reshape(fitted, [kh, kw, b, c * m]);
    return ops.done(ops.reshape(ops.sum(perImage, [2]), filterShape));
  },
};

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
import { backend_util, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs";
import { WasmOps } from "./wasm-ops.ts";

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: "Conv2DBackpropFilter",
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
      strides: [number, number] | number;
      pad: backend_util.ExplicitPadding | "same" | "valid" | number;
      dataFormat: "NHWC" | "NCHW";
      dimRoundingMode?: "floor" | "round" | "ceil";
      filterShape: [number, number, number, number];
    };
    if (dataFormat === "NCHW") throw new Error("wasm Conv2DBackpropFilter supports NHWC only");
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const ops = new WasmOps(backend);
    const { top, bottom, left, right } = info.padInfo;
    // Output rows the conv yields beyond the filter height: windows the forward conv never reached (stride
    // leftovers). Trim them from the bottom padding, then slice whatever padding could not absorb.
    const extraH = info.inHeight + top + bottom - (info.outHeight - 1) * info.strideHeight - info.filterHeight;
    const extraW = info.inWidth + left + right - (info.outWidth - 1) * info.strideWidth - info.filterWidth;
    const cutBottom = Math.min(bottom, extraH);
    const cutRight = Math.min(right, extraW);
    const xT = ops.transpose(x, [3, 1, 2, 0]);
    const dyT = ops.transpose(dy, [1, 2, 0, 3]);
    const conv = ops.conv2d(
      xT,
      dyT,
      [1, 1],
      [
        [top, bottom - cutBottom],
        [left, right - cutRight],
      ],
      [info.strideHeight, info.strideWidth],
    );
    const [ci = 0, , , co = 0] = conv.shape;
    const fitted = ops.slice(conv, [0, 0, 0, 0], [ci, info.filterHeight, info.filterWidth, co]);
    return ops.done(ops.transpose(fitted, [1, 2, 0, 3]));
  },
};

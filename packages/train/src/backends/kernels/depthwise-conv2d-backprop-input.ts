/**
 * `DepthwiseConv2dNativeBackpropInput` for `wasm` (missing in tfjs 4.22).
 *
 * As for a full conv (conv2d-backprop-input.ts): zero-insert dy for the stride, then correlate with the filter
 * rotated 180°, with explicit pads. Channel c·M + m of dy meets filter[:, :, c, m], which is exactly the
 * [kh, kw, c·M + m, 1] reshape of the filter, so one depthwise conv (multiplier 1) over all C·M channels gives
 * each (c, m) term; with a channel multiplier M > 1 the M terms of each input channel are then summed.
 */
import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs";
import { convGradInfo } from "./conv-attrs.ts";
import { fullPads, insertZeros } from "./conv2d-backprop-input.ts";
import { WasmOps } from "./wasm-ops.ts";

export const depthwiseConv2dNativeBackpropInputConfig: KernelConfig = {
  kernelName: "DepthwiseConv2dNativeBackpropInput",
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const { inputShape } = attrs as unknown as { inputShape: [number, number, number, number] };
    const [kh = 0, kw = 0, c = 0, m = 0] = filter.shape;
    const info = convGradInfo("DepthwiseConv2dNativeBackpropInput", attrs, inputShape, filter.shape, true);
    const ops = new WasmOps(backend);
    const zeroInserted = insertZeros(ops, dy, info.strideHeight, info.strideWidth);
    const [b = 0, zh = 0, zw = 0] = zeroInserted.shape;
    const rows = fullPads(kh, info.padInfo.top, info.inHeight, zh);
    const cols = fullPads(kw, info.padInfo.left, info.inWidth, zw);
    const cropped = ops.slice(zeroInserted, [0, rows.cropBefore, cols.cropBefore, 0], [b, rows.keep, cols.keep, c * m]);
    const rotated = ops.reshape(ops.reverse(filter, [0, 1]), [kh, kw, c * m, 1]);
    const pads: [number, number][] = [
      [rows.before, rows.after],
      [cols.before, cols.after],
    ];
    const terms = ops.depthwiseConv2d(cropped, rotated, [1, 1], pads, [1, 1]);
    if (m === 1) return ops.done(terms);
    return ops.done(ops.sum(ops.reshape(terms, [b, info.inHeight, info.inWidth, c, m]), [4]));
  },
};

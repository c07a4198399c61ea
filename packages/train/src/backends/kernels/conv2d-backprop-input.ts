/**
 * `Conv2DBackpropInput` for `wasm`, replacing tfjs's own, which is a single-threaded scalar C++ loop.
 *
 * dx is the "full" correlation of dy with the filter rotated 180° and its in/out channels swapped; for
 * stride s, dy first gets s − 1 zeros inserted between its pixels. Both become one stride-1 XNNPACK conv:
 *   zero-insert(dy) → conv2d(·, transpose(reverse(W, [0,1]), [0,1,3,2]), explicit pads) → dx.
 * Zero insertion: reshape dy to [b, oh, 1, ow, 1, c], pad the unit axes to s, reshape to [b, oh·s, ow·s, c].
 * With the forward padding (top, left), dx[i] = Σ_k dyZ[i + top − k]·W[k], so the conv's padding is
 * kh − 1 − top before and whatever completes H after; negative amounts become slices of dyZ instead.
 */
import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs";
import { convGradInfo } from "./conv-attrs.ts";
import { WasmOps } from "./wasm-ops.ts";

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: "Conv2DBackpropInput",
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const { inputShape } = attrs as unknown as { inputShape: [number, number, number, number] };
    const info = convGradInfo("Conv2DBackpropInput", attrs, inputShape, filter.shape);
    const ops = new WasmOps(backend);
    const zeroInserted = insertZeros(ops, dy, info.strideHeight, info.strideWidth);
    const [b = 0, zh = 0, zw = 0, co = 0] = zeroInserted.shape;
    const rows = fullPads(info.filterHeight, info.padInfo.top, info.inHeight, zh);
    const cols = fullPads(info.filterWidth, info.padInfo.left, info.inWidth, zw);
    const cropped = ops.slice(zeroInserted, [0, rows.cropBefore, cols.cropBefore, 0], [b, rows.keep, cols.keep, co]);
    const rotated = ops.transpose(ops.reverse(filter, [0, 1]), [0, 1, 3, 2]);
    const dx = ops.conv2d(
      cropped,
      rotated,
      [1, 1],
      [
        [rows.before, rows.after],
        [cols.before, cols.after],
      ],
      [1, 1],
    );
    return ops.done(dx);
  },
};

/** dy with s − 1 zero rows/columns after each pixel: [b, oh·sh, ow·sw, c]. */
export function insertZeros(ops: WasmOps, dy: TensorInfo, sh: number, sw: number): TensorInfo {
  if (sh === 1 && sw === 1) return dy;
  const [b = 0, oh = 0, ow = 0, c = 0] = dy.shape;
  const spread = ops.pad(ops.reshape(dy, [b, oh, 1, ow, 1, c]), [
    [0, 0],
    [0, 0],
    [0, sh - 1],
    [0, 0],
    [0, sw - 1],
    [0, 0],
  ]);
  return ops.reshape(spread, [b, oh * sh, ow * sw, c]);
}

/**
 * Padding of a stride-1 "full" correlation of a length-`length` signal with a size-`k` kernel that yields
 * exactly `size` outputs, the signal starting k − 1 − padBefore before output 0. Negative padding is
 * returned as a crop of the signal instead.
 */
export function fullPads(k: number, padBefore: number, size: number, length: number) {
  const before = k - 1 - padBefore;
  const after = size + k - 1 - before - length;
  const cropBefore = Math.max(0, -before);
  const cropAfter = Math.max(0, -after);
  return {
    before: Math.max(0, before),
    after: Math.max(0, after),
    cropBefore,
    keep: length - cropBefore - cropAfter,
  };
}

/**
 * What the four convolution-gradient kernels share: reading tfjs's conv attributes into a Conv2DInfo, and the
 * padding of the filter-gradient conv (the forward pads with the stride leftovers trimmed).
 */
import { backend_util, type NamedAttrMap } from "@tensorflow/tfjs";

type Shape4 = [number, number, number, number];

interface ConvGradAttrs {
  strides: [number, number] | number;
  pad: backend_util.ExplicitPadding | "same" | "valid" | number;
  dataFormat?: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
}

/** The forward conv's geometry from a gradient kernel's attributes (NHWC only, as every Arbor model is). */
export function convGradInfo(
  kernelName: string,
  attrs: NamedAttrMap | undefined,
  inputShape: readonly number[],
  filterShape: readonly number[],
  depthwise = false,
): backend_util.Conv2DInfo {
  const { strides, pad, dataFormat, dimRoundingMode } = attrs as unknown as ConvGradAttrs;
  if (dataFormat === "NCHW") throw new Error(`wasm ${kernelName} supports NHWC only`);
  return backend_util.computeConv2DInfo(
    inputShape as Shape4,
    filterShape as Shape4,
    strides,
    1,
    pad,
    dimRoundingMode,
    depthwise,
  );
}

/**
 * Pads of the conv that computes a filter gradient: the forward pads, less the output rows/columns it would
 * yield beyond the filter size (windows the forward conv never reached: stride leftovers), trimmed from the
 * bottom/right padding. What padding cannot absorb, the caller slices off.
 */
export function filterGradPads(info: backend_util.Conv2DInfo): [[number, number], [number, number]] {
  const { top, bottom, left, right } = info.padInfo;
  const extraH = info.inHeight + top + bottom - (info.outHeight - 1) * info.strideHeight - info.filterHeight;
  const extraW = info.inWidth + left + right - (info.outWidth - 1) * info.strideWidth - info.filterWidth;
  return [
    [top, bottom - Math.min(bottom, extraH)],
    [left, right - Math.min(right, extraW)],
  ];
}

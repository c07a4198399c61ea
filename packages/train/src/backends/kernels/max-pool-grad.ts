/**
 * `MaxPoolGrad` for `wasm`. tfjs's own wasm kernel is a single-threaded scalar loop that costs more than the
 * convolutions around it (≈36 ms vs ≈3 ms for the forward pool on 64×32×32×32, 2×2/2); for the usual
 * non-overlapping windows (filter = stride) this composes fast elementwise/pool kernels instead (≈4× faster):
 *
 *   x as [b, oh, fh, ow, fw, c]; y (the pool output) and dy broadcast over the window axes;
 *   m     = step(y − x)                       1 where x is not its window's max, else 0
 *   score = −rank/N − m                       window maxima score −rank/N ∈ (−1, 0], others < −1
 *   best  = maxPool(score)                    the first maximum's score (row-major window order)
 *   dx    = step(score − (best − 1/2N)) · dy  1 only where score = best
 *
 * so exactly one position per window receives dy: the first maximum, as tfjs's cpu kernel (and TF) pick,
 * which matters where windows hold ties (ReLU zeros, saturated pixels). Every value involved is exact in
 * float32. Padding: x is padded with −∞ (never a max) to whole windows and dx cropped back.
 *
 * Overlapping windows (e.g. AlexNet's 3×3 stride 2) cannot be tiled that way, and tfjs's own wasm MaxPoolGrad
 * (like its MaxPoolWithArgmax + ScatterNd, which drops repeated indices) gives wrong values for them (the test
 * shows it). There each window's fh·fw values are first extracted as channels by a depthwise conv with a one-hot
 * filter (exact: every product but one is ±0), the same first-maximum mask is built over that axis, and the
 * masked dy is put back, overlaps summed, by the transposed extraction (DepthwiseConv2dNativeBackpropInput).
 */
import { backend_util, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs";
import { WasmOps } from "./wasm-ops.ts";

type PoolAttrs = {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: "valid" | "same" | number | backend_util.ExplicitPadding;
  dimRoundingMode?: "floor" | "round" | "ceil";
};
type PoolInfo = backend_util.Conv2DInfo;

export const maxPoolGradConfig: KernelConfig = {
  kernelName: "MaxPoolGrad",
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, input, output } = inputs as { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as PoolAttrs;
    const info = backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const ops = new WasmOps(backend);
    const tiles = info.filterHeight === info.strideHeight && info.filterWidth === info.strideWidth;
    return ops.done((tiles ? tiledWindows : overlappingWindows)(ops, input, output, dy, info));
  },
};

/** Non-overlapping windows: x viewed as [b, oh, fh, ow, fw, c] (see the file comment). */
function tiledWindows(ops: WasmOps, input: TensorInfo, output: TensorInfo, dy: TensorInfo, info: PoolInfo) {
  const { filterHeight: fh, filterWidth: fw, batchSize: b, inHeight: h, inWidth: w } = info;
  const { outHeight: oh, outWidth: ow, inChannels: c } = info;
  const { top, left } = info.padInfo;
  // Rows [−top, −top + oh·fh) of x are the windows' rows: pad with −∞ or crop to exactly those.
  const rows = windowSpan(top, oh * fh, h);
  const cols = windowSpan(left, ow * fw, w);
  const kept = [b, h - rows.crop, w - cols.crop, c];
  const tiled = ops.pad(
    ops.slice(input, [0, 0, 0, 0], kept),
    [
      [0, 0],
      [top, rows.padAfter],
      [left, cols.padAfter],
      [0, 0],
    ],
    Number.NEGATIVE_INFINITY,
  );
  const perWindow = [b, oh, 1, ow, 1, c];
  const first = firstMaxima(
    ops,
    ops.reshape(tiled, [b, oh, fh, ow, fw, c]),
    ops.reshape(output, perWindow),
    [1, 1, fh, 1, fw, 1],
    (score) =>
      ops.reshape(
        ops.run(
          "MaxPool",
          { x: ops.reshape(score, [b, oh * fh, ow * fw, c]) },
          { filterSize: [fh, fw], strides: [fh, fw], pad: "valid" },
        ),
        perWindow,
      ),
  );
  const grad = ops.reshape(ops.multiply(first, ops.reshape(dy, perWindow)), [b, oh * fh, ow * fw, c]);
  return ops.pad(ops.slice(grad, [0, top, left, 0], kept), [
    [0, 0],
    [0, rows.crop],
    [0, cols.crop],
    [0, 0],
  ]);
}

/** −FLT_MAX: padding that never wins a window, yet stays finite (0 · it = 0 in the extraction conv). */
const LOWEST = -3.4028234663852886e38;

/** Overlapping windows: their values extracted as channels (see the file comment). */
function overlappingWindows(ops: WasmOps, input: TensorInfo, output: TensorInfo, dy: TensorInfo, info: PoolInfo) {
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw } = info;
  const { batchSize: b, outHeight: oh, outWidth: ow, inChannels: c } = info;
  const { top, bottom, left, right } = info.padInfo;
  const n = fh * fw;
  const padded = ops.pad(
    input,
    [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ],
    LOWEST,
  );
  const oneHot = new Float32Array(n * c * n);
  for (let k = 0; k < n; k++) for (let ch = 0; ch < c; ch++) oneHot[(k * c + ch) * n + k] = 1;
  const extract = ops.constant(oneHot, [fh, fw, c, n]);
  const noPads: [number, number][] = [
    [0, 0],
    [0, 0],
  ];
  const windows = ops.reshape(ops.depthwiseConv2d(padded, extract, [sh, sw], noPads, [1, 1]), [b, oh, ow, c, n]);
  const first = firstMaxima(ops, windows, ops.reshape(output, [b, oh, ow, c, 1]), [n], (score) =>
    ops.run("Max", { x: score }, { reductionIndices: [4], keepDims: true }),
  );
  const grad = ops.reshape(ops.multiply(first, ops.reshape(dy, [b, oh, ow, c, 1])), [b, oh, ow, c * n]);
  const dxPadded = ops.run(
    "DepthwiseConv2dNativeBackpropInput",
    { dy: grad, filter: extract },
    { strides: [sh, sw], pad: "valid", dilations: [1, 1], inputShape: padded.shape },
  );
  return ops.slice(dxPadded, [0, top, left, 0], input.shape);
}

/**
 * 1 at the first maximum (in row-major window order) of each window, 0 elsewhere. `windows` holds each
 * window's n values along the axes that `rankShape` spans; `y` (the pooled maxima) broadcasts over them;
 * `bestOf` reduces a score tensor over a window, keeping broadcastable dims.
 */
function firstMaxima(
  ops: WasmOps,
  windows: TensorInfo,
  y: TensorInfo,
  rankShape: number[],
  bestOf: (score: TensorInfo) => TensorInfo,
): TensorInfo {
  const n = rankShape.reduce((a, d) => a * d, 1);
  const notMax = ops.run("Step", { x: ops.run("Sub", { a: y, b: windows }) }, { alpha: 0 });
  const rank = ops.constant(
    Float32Array.from({ length: n }, (_, i) => -i / n),
    rankShape,
  );
  const score = ops.run("Sub", { a: rank, b: notMax });
  const threshold = ops.run("Sub", { a: bestOf(score), b: ops.constant(Float32Array.of(0.5 / n), []) });
  return ops.run("Step", { x: ops.run("Sub", { a: score, b: threshold }) }, { alpha: 0 });
}

/** How `span` window rows starting `before` rows above a length-`size` axis fit it. */
function windowSpan(before: number, span: number, size: number) {
  const end = span - before;
  return { padAfter: Math.max(0, end - size), crop: Math.max(0, size - end) };
}

/**
 * Calls other `wasm` kernels from inside a kernel, the way tfjs backends compose kernels: straight through the
 * kernel registry on backend-level `TensorInfo`s, so nothing is taped, nothing falls back to `cpu`, and every
 * intermediate is freed when the composed kernel returns.
 */
import {
  type DataType,
  getKernel,
  type KernelBackend,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from "@tensorflow/tfjs";

type Pads = [number, number][];

export class WasmOps {
  private readonly made: TensorInfo[] = [];

  readonly backend: KernelBackend;

  /** `backend` is the kernel's own (typed `{}` by tfjs's `KernelFunc`). */
  constructor(backend: object) {
    this.backend = backend as KernelBackend;
  }

  /** Runs the `wasm` kernel `name`; its output is an intermediate unless returned through `done`. */
  run(name: string, inputs: NamedTensorInfoMap, attrs: object = {}): TensorInfo {
    const config = getKernel(name, "wasm");
    if (!config) throw new Error(`kernel ${name} is not registered for wasm`);
    const out = config.kernelFunc({ inputs, backend: this.backend, attrs: attrs as NamedAttrMap }) as TensorInfo;
    this.made.push(out);
    return out;
  }

  /** Makes `info` (from a multi-output kernel called directly) an intermediate. */
  adopt(info: TensorInfo): void {
    this.made.push(info);
  }

  /** Frees every intermediate except `out` and returns it. */
  done(out: TensorInfo): TensorInfo {
    for (const info of this.made) if (info !== out) this.backend.disposeData(info.dataId);
    this.made.length = 0;
    return out;
  }

  /** A small float32 tensor of `values` (freed with the other intermediates). */
  constant(values: Float32Array, shape: number[]): TensorInfo {
    const out = { dataId: this.backend.write(values, shape, "float32"), shape, dtype: "float32" as const };
    this.made.push(out);
    return out;
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run("Reshape", { x }, { shape });
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run("Transpose", { x }, { perm });
  }

  /** Rows/columns `[begin, begin + size)`; a no-op (no copy) when it covers all of `x`. */
  slice(x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    if (size.every((s, i) => s === x.shape[i])) return x;
    return this.run("Slice", { x }, { begin, size });
  }

  pad(x: TensorInfo, paddings: Pads, constantValue = 0): TensorInfo {
    if (paddings.every(([a, b]) => a === 0 && b === 0)) return x;
    return this.run("PadV2", { x }, { paddings, constantValue });
  }

  reverse(x: TensorInfo, dims: number[]): TensorInfo {
    return this.run("Reverse", { x }, { dims });
  }

  sum(x: TensorInfo, axis: number[]): TensorInfo {
    return this.run("Sum", { x }, { axis, keepDims: false });
  }

  multiply(a: TensorInfo, b: TensorInfo): TensorInfo {
    return this.run("Multiply", { a, b });
  }

  cast(x: TensorInfo, dtype: DataType): TensorInfo {
    return this.run("Cast", { x }, { dtype });
  }

  /** NHWC conv with explicit per-side pads (never 'same': see conv2d-backprop-filter.ts). */
  conv2d(x: TensorInfo, filter: TensorInfo, strides: [number, number], pads: Pads, dilations: [number, number]) {
    return this.run("Conv2D", { x, filter }, { strides, pad: nhwcPads(pads), dilations, dataFormat: "NHWC" });
  }

  depthwiseConv2d(
    x: TensorInfo,
    filter: TensorInfo,
    strides: [number, number],
    pads: Pads,
    dilations: [number, number],
  ) {
    return this.run(
      "DepthwiseConv2dNative",
      { x, filter },
      { strides, pad: nhwcPads(pads), dilations, dataFormat: "NHWC" },
    );
  }
}

/** tfjs's explicit padding format: one [before, after] pair per NHWC dimension. */
function nhwcPads([h, w]: Pads): Pads {
  return [[0, 0], h ?? [0, 0], w ?? [0, 0], [0, 0]];
}

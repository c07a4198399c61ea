/**
 * Every kernel registered by register-wasm-gradients.ts against tfjs's `cpu` kernel of the same name, over a
 * grid of strides, paddings ('same', 'valid', explicit numbers), kernel sizes (1, 3, 5, and AlexNet's 11 with
 * stride 4), odd spatial sizes, batch 2 and several channels; then whole training-step gradients of a small
 * ResNet/VGG-style network, and training steps of the layer types CNNs use, on wasm.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "./select-backend.ts";

type Shape4 = [number, number, number, number];
type Pad = "same" | "valid" | number | tf.backend_util.ExplicitPadding;

/** Relative to the largest reference magnitude: float32 sums of up to a few thousand products. */
const TOLERANCE = 2e-5;
const B = 2;
const PADS: Pad[] = [
  "same",
  "valid",
  1,
  [
    [0, 0],
    [1, 2],
    [2, 0],
    [0, 0],
  ],
];
/** [kernel, stride, height, width] */
const CONV_GRID: [number, number, number, number][] = [
  [1, 1, 9, 11],
  [1, 2, 9, 11],
  [3, 1, 9, 11],
  [3, 2, 9, 11],
  [3, 2, 8, 8],
  [5, 2, 10, 11],
  [11, 4, 35, 37],
];

beforeAll(async () => {
  await initBackend("wasm", { threads: 2 });
});

/** Deterministic values in [−0.5, 0.5). */
function values(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
}
const size = (shape: number[]) => shape.reduce((a, d) => a * d, 1);
const tensor = (shape: number[], seed: number) => tf.tensor(values(size(shape), seed), shape);

/** Runs `work` on `backend` and returns its result's values and shape. */
async function on(backend: string, work: () => tf.Tensor) {
  await tf.setBackend(backend);
  const out = tf.tidy(work);
  const result = { values: out.dataSync().slice(), shape: out.shape };
  out.dispose();
  return result;
}

/** Largest |cpu − wasm| relative to max(1, largest |cpu|), or Infinity when the shapes differ. */
async function mismatch(work: () => tf.Tensor, wasmWork = work): Promise<number> {
  const cpu = await on("cpu", work);
  const wasm = await on("wasm", wasmWork);
  if (String(cpu.shape) !== String(wasm.shape)) return Number.POSITIVE_INFINITY;
  let err = 0;
  let scale = 1;
  cpu.values.forEach((v, i) => {
    const diff = Math.abs(v - (wasm.values[i] ?? Number.NaN));
    err = Number.isNaN(diff) ? Number.POSITIVE_INFINITY : Math.max(err, diff);
    scale = Math.max(scale, Math.abs(v));
  });
  return err / scale;
}

async function expectAgree(name: string, work: () => tf.Tensor) {
  expect(await mismatch(work), name).toBeLessThanOrEqual(TOLERANCE);
}

const runKernel = (name: string, inputs: Record<string, tf.Tensor>, attrs: object) =>
  tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;

async function outShape(forward: () => tf.Tensor): Promise<number[]> {
  return (await on("cpu", forward)).shape;
}

describe("conv2d gradients match cpu", () => {
  it("Conv2DBackpropFilter and Conv2DBackpropInput", async () => {
    for (const [k, s, h, w] of CONV_GRID) {
      for (const pad of PADS) {
        const xShape: Shape4 = [B, h, w, 3];
        const fShape: Shape4 = [k, k, 3, 4];
        const dyShape = await outShape(() =>
          tf.conv2d(tensor(xShape, 1) as tf.Tensor4D, tensor(fShape, 2) as tf.Tensor4D, s, pad),
        );
        const attrs = { strides: s, pad, dataFormat: "NHWC" };
        const name = `k${k} s${s} ${h}×${w} pad ${JSON.stringify(pad)}`;
        await expectAgree(`dW ${name}`, () =>
          runKernel(
            "Conv2DBackpropFilter",
            { x: tensor(xShape, 1), dy: tensor(dyShape, 3) },
            { ...attrs, filterShape: fShape },
          ),
        );
        await expectAgree(`dx ${name}`, () =>
          runKernel(
            "Conv2DBackpropInput",
            { dy: tensor(dyShape, 3), filter: tensor(fShape, 2) },
            { ...attrs, inputShape: xShape },
          ),
        );
      }
    }
  });

  it("would catch a wrong filter gradient: 'same' passed through instead of explicit pads", async () => {
    // The formulation of conv2d-backprop-filter.ts, but handing 'same' to the inner conv.
    const xShape: Shape4 = [B, 9, 11, 3];
    const dyShape: Shape4 = [B, 5, 6, 4];
    const reference = () =>
      runKernel(
        "Conv2DBackpropFilter",
        { x: tensor(xShape, 1), dy: tensor(dyShape, 3) },
        { strides: 2, pad: "same", dataFormat: "NHWC", filterShape: [3, 3, 3, 4] },
      );
    const samePassedThrough = () => {
      const xT = tensor(xShape, 1).transpose([3, 1, 2, 0]) as tf.Tensor4D;
      const dyT = tensor(dyShape, 3).transpose([1, 2, 0, 3]) as tf.Tensor4D;
      const dW = tf.conv2d(xT, dyT, 1, "same", "NHWC", 2);
      return dW.slice([0, 0, 0, 0], [3, 3, 3, 4]).transpose([1, 2, 0, 3]);
    };
    expect(await mismatch(reference)).toBeLessThanOrEqual(TOLERANCE);
    expect(await mismatch(reference, samePassedThrough)).toBeGreaterThan(1e-2);
  });
});

describe("depthwise conv gradients match cpu", () => {
  it("DepthwiseConv2dNativeBackpropFilter and DepthwiseConv2dNativeBackpropInput", async () => {
    for (const [k, s, h, w] of CONV_GRID.filter(([k]) => k <= 5)) {
      for (const pad of PADS) {
        for (const multiplier of [1, 2]) {
          const xShape: Shape4 = [B, h, w, 3];
          const fShape: Shape4 = [k, k, 3, multiplier];
          const dyShape = await outShape(() =>
            tf.depthwiseConv2d(tensor(xShape, 1) as tf.Tensor4D, tensor(fShape, 2) as tf.Tensor4D, s, pad),
          );
          const attrs = { strides: s, pad, dilations: 1 };
          const name = `k${k} s${s} ×${multiplier} ${h}×${w} pad ${JSON.stringify(pad)}`;
          await expectAgree(`dW ${name}`, () =>
            runKernel(
              "DepthwiseConv2dNativeBackpropFilter",
              { x: tensor(xShape, 1), dy: tensor(dyShape, 3) },
              { ...attrs, filterShape: fShape },
            ),
          );
          await expectAgree(`dx ${name}`, () =>
            runKernel(
              "DepthwiseConv2dNativeBackpropInput",
              { dy: tensor(dyShape, 3), filter: tensor(fShape, 2) },
              { ...attrs, inputShape: xShape },
            ),
          );
        }
      }
    }
  });
});

describe("pooling gradients match cpu", () => {
  /** [filter, stride, height, width]: tiled windows (2×2/2, 3×3/3) and overlapping ones (3×3/2, 2×2/1). */
  const POOL_GRID: [number, number, number, number][] = [
    [2, 2, 9, 11],
    [2, 2, 8, 8],
    [3, 3, 10, 11],
    [3, 2, 9, 11],
    [3, 2, 13, 13],
    [2, 1, 9, 11],
  ];
  /** Inputs with many ties (values rounded to −1, 0, 1), as after ReLU or on saturated pixels. */
  const input = (shape: number[], ties: boolean) => (ties ? tf.round(tensor(shape, 5).mul(2)) : tensor(shape, 5));

  it("MaxPoolGrad, including windows with tied maxima (the first one gets dy, as on cpu)", async () => {
    for (const [f, s, h, w] of POOL_GRID) {
      for (const pad of ["same", "valid"] as const) {
        for (const ties of [false, true]) {
          const xShape = [B, h, w, 4];
          const dyShape = await outShape(() => tf.maxPool(input(xShape, ties) as tf.Tensor4D, f, s, pad));
          await expectAgree(`f${f} s${s} ${h}×${w} ${pad} ties=${ties}`, () => {
            const x = input(xShape, ties) as tf.Tensor4D;
            return runKernel(
              "MaxPoolGrad",
              { dy: tensor(dyShape, 7), input: x, output: tf.maxPool(x, f, s, pad) },
              { filterSize: f, strides: s, pad },
            );
          });
        }
      }
    }
  });

  it("AvgPoolGrad (tfjs's own wasm kernel)", async () => {
    for (const [f, s, h, w] of POOL_GRID) {
      for (const pad of ["same", "valid"] as const) {
        const xShape = [B, h, w, 4];
        const dyShape = await outShape(() => tf.avgPool(tensor(xShape, 5) as tf.Tensor4D, f, s, pad));
        await expectAgree(`f${f} s${s} ${h}×${w} ${pad}`, () =>
          runKernel(
            "AvgPoolGrad",
            { dy: tensor(dyShape, 7), input: tensor(xShape, 5) },
            { filterSize: f, strides: s, pad },
          ),
        );
      }
    }
  });
});

describe("Tile matches cpu", () => {
  it("per-channel vectors to activations (as BatchNorm's gradient does), general and fallback cases", async () => {
    const cases: [number[], number[]][] = [
      [
        [1, 1, 1, 5],
        [2, 3, 4, 1],
      ],
      [
        [2, 3],
        [3, 2],
      ],
      [
        [2, 1, 3],
        [1, 4, 2],
      ],
      [
        [2, 3, 2, 2],
        [2, 2, 2, 2],
      ], // rank 8 once interleaved: tfjs's kernel
    ];
    for (const [shape, reps] of cases) await expectAgree(`${shape} × ${reps}`, () => tf.tile(tensor(shape, 9), reps));
  });
});

describe("training steps on wasm", () => {
  it("gives the cpu gradients for a residual conv/batchnorm/pool network", async () => {
    // conv → BN → ReLU → (3×3 s2 conv + 1×1 s2 projection) add → max pool → avg pool → GAP → dense → softmax CE.
    const weights = (seed: number) => ({
      c1: tensor([3, 3, 3, 8], seed),
      c2: tensor([3, 3, 8, 8], seed + 1),
      proj: tensor([1, 1, 8, 8], seed + 2),
      dense: tensor([8, 10], seed + 3),
      gamma: tf.add(tensor([8], seed + 4), 1),
      beta: tensor([8], seed + 5),
    });
    const loss = (w: ReturnType<typeof weights>) => {
      const x = tensor([3, 17, 17, 3], 11) as tf.Tensor4D;
      let h: tf.Tensor4D = tf.conv2d(x, w.c1 as tf.Tensor4D, 1, "same");
      const { mean, variance } = tf.moments(h, [0, 1, 2]) as { mean: tf.Tensor1D; variance: tf.Tensor1D };
      h = tf.relu(tf.batchNorm4d(h, mean, variance, w.beta as tf.Tensor1D, w.gamma as tf.Tensor1D, 1e-3));
      const y = tf.conv2d(h, w.c2 as tf.Tensor4D, 2, "same");
      h = tf.relu(tf.add(y, tf.conv2d(h, w.proj as tf.Tensor4D, 2, "valid")) as tf.Tensor4D);
      h = tf.avgPool(tf.maxPool(h, 2, 2, "same"), 2, 2, "same");
      const logits = tf.matMul(tf.mean(h, [1, 2]), w.dense as tf.Tensor2D);
      return tf.losses.softmaxCrossEntropy(tf.oneHot([1, 4, 7], 10), logits);
    };
    for (const name of ["c1", "c2", "proj", "dense", "gamma", "beta"] as const) {
      await expectAgree(`d loss / d ${name}`, () => {
        const w = weights(20);
        return tf.grad((v: tf.Tensor) => loss({ ...w, [name]: v }))(w[name]);
      });
    }
  });

  it("trains VGG/AlexNet/MobileNet-style layers without missing kernels", async () => {
    await tf.setBackend("wasm");
    const L = tf.layers;
    const model = tf.sequential({
      layers: [
        L.conv2d({ inputShape: [67, 67, 3], filters: 8, kernelSize: 11, strides: 4, activation: "relu" }),
        L.maxPooling2d({ poolSize: 3, strides: 2 }),
        L.batchNormalization(),
        L.conv2d({ filters: 8, kernelSize: 5, padding: "same", activation: "relu" }),
        L.depthwiseConv2d({ kernelSize: 3, padding: "same" }),
        L.separableConv2d({ filters: 8, kernelSize: 3, padding: "same", activation: "relu" }),
        L.averagePooling2d({ poolSize: 2 }),
        L.flatten(),
        L.dropout({ rate: 0.5 }),
        L.dense({ units: 10, activation: "softmax" }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(1e-3), loss: "categoricalCrossentropy" });
    const xs = tensor([4, 67, 67, 3], 3);
    const ys = tf.oneHot([1, 2, 3, 4], 10);
    const first = (await model.trainOnBatch(xs, ys)) as number;
    let last = first;
    for (let i = 0; i < 5; i++) last = (await model.trainOnBatch(xs, ys)) as number;
    expect(Number.isFinite(first) && Number.isFinite(last)).toBe(true);
    expect(last).toBeLessThan(first);
    expect(tf.getBackend()).toBe("wasm");
  });
});

/**
 * The BatchNorm, per-channel Sum/Mean and ReLU-gradient kernels of kernels/batch-norm.ts, channel-sums.ts and
 * relu-grad.ts against tfjs's `cpu` backend (whose FusedBatchNorm and Relu gradients stay tfjs's own): the
 * SIMD cases (float32, channels a multiple of 4), the fallback cases, several blocks of rows, and the
 * gradients of a training-mode BatchNorm (moments then batchNorm, as tf.layers does) for every input.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "./select-backend.ts";

/** Relative to the largest reference magnitude (float32 sums of up to ~10⁴ terms). */
const TOLERANCE = 2e-5;

beforeAll(async () => {
  await initBackend("wasm", { threads: 2 });
});

/** Deterministic values in [−0.5, 0.5) + offset. */
function tensor(shape: number[], seed: number, offset = 0): tf.Tensor {
  let s = seed;
  const n = shape.reduce((a, d) => a * d, 1);
  const v = Float32Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5 + offset;
  });
  return tf.tensor(v, shape);
}

async function on(backend: string, work: () => tf.Tensor) {
  await tf.setBackend(backend);
  const out = tf.tidy(work);
  const result = { values: out.dataSync().slice(), shape: out.shape };
  out.dispose();
  return result;
}

/** Largest |cpu − wasm| relative to max(1, largest |cpu|); Infinity when shapes differ or NaN appears. */
async function mismatch(work: () => tf.Tensor): Promise<number> {
  const cpu = await on("cpu", work);
  const wasm = await on("wasm", work);
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

/** [x shape, channel-parameter shape]: SIMD (C = 4, 8, 16), rank 2, a [1,1,1,C] parameter, fallback C = 3. */
const BN_CASES: [number[], number[]][] = [
  [[2, 5, 7, 8], [8]],
  [[3, 9, 4], [4]],
  [[6, 16], [16]],
  [
    [2, 3, 5, 8],
    [1, 1, 1, 8],
  ],
  [[2, 5, 7, 3], [3]],
];

describe("FusedBatchNorm matches cpu", () => {
  it("forward, with and without scale and offset", async () => {
    for (const [xShape, pShape] of BN_CASES) {
      for (const affine of [true, false]) {
        await expectAgree(`${xShape} params ${pShape} affine=${affine}`, () =>
          tf.batchNorm(
            tensor(xShape, 1, 2),
            tensor(pShape, 2),
            tf.abs(tensor(pShape, 3)),
            affine ? tensor(pShape, 4) : undefined,
            affine ? tensor(pShape, 5, 1) : undefined,
            1e-3,
          ),
        );
      }
    }
  });

  // Gradients only for per-channel parameters of rank 1, as tf.layers passes them: tfjs's own gradient (the
  // cpu reference) rejects or mis-shapes others.
  const GRAD_CASES = BN_CASES.filter(([, p]) => p.length === 1);

  it("gradients of a training-mode BatchNorm (moments, then batchNorm) for x, scale and offset", async () => {
    for (const [xShape, pShape] of GRAD_CASES) {
      const axes = xShape.slice(0, -1).map((_, i) => i);
      const loss = (x: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor) => {
        const { mean, variance } = tf.moments(x, axes);
        const y = tf.batchNorm(x, mean, variance, offset, scale, 1e-5);
        // A loss whose gradient varies per element (a plain sum would make most BatchNorm gradients zero).
        return tf.sum(tf.mul(tf.relu(y), tensor(xShape, 9)));
      };
      const inputs = () => [tensor(xShape, 1, 3), tensor(pShape, 4, 1), tensor(pShape, 5)] as const;
      for (const [i, name] of ["x", "scale", "offset"].entries()) {
        await expectAgree(`d/d ${name} ${xShape}`, () => {
          const [x, scale, offset] = inputs();
          return tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => loss(a, b, c))([x, scale, offset])[
            i
          ] as tf.Tensor;
        });
      }
    }
  });

  it("gradients for mean and variance given as independent inputs", async () => {
    for (const [xShape, pShape] of GRAD_CASES) {
      for (const [i, name] of ["mean", "variance"].entries()) {
        await expectAgree(`d/d ${name} ${xShape}`, () => {
          const f = (mean: tf.Tensor, variance: tf.Tensor) =>
            tf.sum(
              tf.mul(
                tf.batchNorm(tensor(xShape, 1), mean, variance, tensor(pShape, 5), tensor(pShape, 4, 1)),
                tensor(xShape, 9),
              ),
            );
          return tf.grads(f)([tensor(pShape, 2), tf.abs(tensor(pShape, 3, 0.6))])[i] as tf.Tensor;
        });
      }
    }
  });
});

describe("Sum and Mean match cpu", () => {
  it("over every axis but the last (several 256-row blocks), keepDims or not, and other axes (tfjs's kernel)", async () => {
    const x = () => tensor([3, 41, 40, 8], 7, 1);
    for (const op of [tf.sum, tf.mean]) {
      for (const keepDims of [false, true]) {
        await expectAgree(`${op.name} [0,1,2] keepDims=${keepDims}`, () => op(x(), [0, 1, 2], keepDims));
        await expectAgree(`${op.name} [1,2]`, () => op(x(), [1, 2], keepDims));
        await expectAgree(`${op.name} [3]`, () => op(x(), 3, keepDims));
        await expectAgree(`${op.name} all`, () => op(x(), undefined, keepDims));
      }
      await expectAgree(`${op.name} rank 2 [0]`, () => op(tensor([300, 12], 8), 0));
      await expectAgree(`${op.name} C = 3`, () => op(tensor([5, 6, 3], 8), [0, 1]));
    }
    await expectAgree("int32 Sum", () => tf.cast(tf.sum(tf.tensor([[1, 2, 3, 4]], [1, 4], "int32"), 0), "float32"));
  });
});

describe("elementwise kernels match cpu", () => {
  it("Multiply, Add and Sub by a per-channel vector, either side, and shapes left to tfjs's kernels", async () => {
    const ops = { mul: tf.mul, add: tf.add, sub: tf.sub };
    const pairs: [number[], number[]][] = [
      [[2, 5, 7, 8], [8]],
      [
        [2, 5, 7, 8],
        [1, 1, 1, 8],
      ],
      [[9, 12], [12]],
      [
        [2, 5, 7, 8],
        [2, 5, 7, 8],
      ], // same shape: tfjs's kernel
      [[2, 5, 7, 3], [3]], // C = 3: tfjs's kernel
      [
        [2, 5, 7, 8],
        [7, 1],
      ], // not per channel: tfjs's kernel
    ];
    for (const [name, op] of Object.entries(ops)) {
      for (const [full, vector] of pairs) {
        await expectAgree(`${name} ${full} ${vector}`, () => op(tensor(full, 1), tensor(vector, 2, 1)));
        await expectAgree(`${name} ${vector} ${full}`, () => op(tensor(vector, 2, 1), tensor(full, 1)));
      }
    }
  });

  it("Relu (flat, exact zeros), Square and Identity", async () => {
    for (const shape of [[2, 5, 5, 8], [7, 3], [13]]) {
      await expectAgree(`relu ${shape}`, () => tf.relu(tf.round(tensor(shape, 3).mul(4))));
      await expectAgree(`square ${shape}`, () => tf.square(tensor(shape, 3, 1)));
      await expectAgree(`identity ${shape}`, () => tf.clone(tensor(shape, 3)).add(tf.clone(tensor(shape, 4))));
    }
  });
});

describe("Relu gradient matches cpu", () => {
  it("with exact zeros and an odd length (the scalar tail)", async () => {
    for (const shape of [[2, 5, 5, 8], [7, 3], [13]]) {
      await expectAgree(`${shape}`, () => {
        const x = tf.round(tensor(shape, 3).mul(4)); // many exact zeros
        return tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.relu(v), tensor(shape, 4))))(x);
      });
    }
  });
});

describe("a BatchNormalization layer trains the same on wasm as on cpu", () => {
  it("gives the cpu gradients for every weight of conv → BN → ReLU → GAP → dense", async () => {
    const grads = async (backend: string) => {
      await tf.setBackend(backend);
      const model = tf.sequential({
        layers: [
          tf.layers.conv2d({
            inputShape: [9, 9, 3],
            filters: 8,
            kernelSize: 3,
            useBias: false,
            kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
          }),
          tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }),
          tf.layers.reLU(),
          tf.layers.globalAveragePooling2d({}),
          tf.layers.dense({ units: 4, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
        ],
      });
      const { grads: g } = tf.variableGrads(() =>
        tf.losses.softmaxCrossEntropy(
          tf.oneHot([0, 1, 2, 3, 1], 4),
          model.apply(tensor([5, 9, 9, 3], 6), { training: true }) as tf.Tensor,
        ),
      );
      const out = Object.fromEntries(
        Object.entries(g).map(([k, v]) => [k.replace(/\d+\//, "/"), v.dataSync().slice()]),
      );
      tf.dispose(Object.values(g));
      model.dispose();
      return out;
    };
    const cpu = await grads("cpu");
    const wasm = await grads("wasm");
    // No conv bias: BatchNorm cancels it, so its gradient is float noise around 0.
    expect(Object.keys(wasm).sort()).toEqual(Object.keys(cpu).sort());
    for (const [name, ref] of Object.entries(cpu)) {
      const got = wasm[name] ?? new Float32Array();
      const scale = Math.max(1e-3, ...ref.map(Math.abs));
      const err = Math.max(...ref.map((v, i) => Math.abs(v - (got[i] ?? Number.NaN))));
      expect(err / scale, name).toBeLessThanOrEqual(1e-4);
    }
  });
});

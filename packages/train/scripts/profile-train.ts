/**
 * Per-kernel time table of training steps on the tfjs `wasm` backend, the same two models and step as
 * `npm run bench:train` (small CNN and ResNet-20, batch 64 of 32×32×3, SGD momentum, softmax CE):
 *   npx tsx packages/train/scripts/profile-train.ts [--models small,resnet20] [--steps 5] [--by-shape] [--tfjs-kernels]
 * `--tfjs-kernels` puts back tfjs's own wasm kernels and gradients that src/backends replaces for the BatchNorm
 * and elementwise hot path (the conv/pool gradient kernels stay: tfjs has none or wrong ones), so that the
 * before/after tables can be taken under the same machine load.
 * Kernel times come from tf.profile (the wasm backend is synchronous, so each is the kernel's wall time);
 * composed kernels (ours, in src/backends/kernels) count as one kernel. The step time is measured unprofiled.
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../src/backends/index.ts";

const BATCH = 64;
const SIZE = 32;
const CLASSES = 10;
const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const models = (arg("--models") ?? "small,resnet20").split(",");
const steps = Number(arg("--steps") ?? 5);
/** `--by-shape`: one row per kernel and input shapes, to tell full-size activations from per-channel work. */
const byShape = process.argv.includes("--by-shape");

function smallCnn(): tf.LayersModel {
  const conv = (filters: number) => tf.layers.conv2d({ filters, kernelSize: 3, padding: "same", activation: "relu" });
  return tf.sequential({
    layers: [
      tf.layers.inputLayer({ inputShape: [SIZE, SIZE, 3] }),
      conv(32),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      conv(64),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      conv(128),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: CLASSES }),
    ],
  });
}

function resnet20(): tf.LayersModel {
  const convBn = (x: tf.SymbolicTensor, filters: number, kernelSize: number, strides: number) => {
    const c = tf.layers.conv2d({ filters, kernelSize, strides, padding: "same", useBias: false }).apply(x);
    return tf.layers.batchNormalization({ epsilon: 1e-5, momentum: 0.9 }).apply(c) as tf.SymbolicTensor;
  };
  const relu = (x: tf.SymbolicTensor) => tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  const input = tf.input({ shape: [SIZE, SIZE, 3] });
  let x = relu(convBn(input, 16, 3, 1));
  let channels = 16;
  for (const [filters, stride] of [
    [16, 1],
    [32, 2],
    [64, 2],
  ] as const) {
    for (let i = 0; i < 3; i++) {
      const s = i === 0 ? stride : 1;
      const y = convBn(relu(convBn(x, filters, 3, s)), filters, 3, 1);
      const shortcut = s !== 1 || channels !== filters ? convBn(x, filters, 1, s) : x;
      x = relu(tf.layers.add().apply([y, shortcut]) as tf.SymbolicTensor);
      channels = filters;
    }
  }
  const pooled = tf.layers.globalAveragePooling2d({}).apply(x);
  const logits = tf.layers.dense({ units: CLASSES }).apply(pooled) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits });
}

async function profileModel(name: string): Promise<void> {
  const model = name === "resnet20" ? resnet20() : smallCnn();
  const xs = tf.randomNormal([BATCH, SIZE, SIZE, 3]);
  const ys = tf.oneHot(tf.randomUniform([BATCH], 0, CLASSES, "int32"), CLASSES);
  const optimizer = tf.train.momentum(0.01, 0.9);
  const step = () => {
    const loss = optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor),
      true,
    );
    loss?.dataSync();
    loss?.dispose();
  };
  for (let i = 0; i < 3; i++) step();
  const started = performance.now();
  for (let i = 0; i < steps; i++) step();
  const stepMs = (performance.now() - started) / steps;
  const totals = new Map<string, { calls: number; ms: number }>();
  for (let i = 0; i < steps; i++) {
    const info = await tf.profile(step);
    for (const k of info.kernels) {
      const key = byShape ? `${k.name} ${k.inputShapes.map((shape) => `[${shape}]`).join(" ")}` : k.name;
      const t = totals.get(key) ?? { calls: 0, ms: 0 };
      t.calls += 1;
      t.ms += Number(k.kernelTimeMs);
      totals.set(key, t);
    }
  }
  const rows = [...totals.entries()].sort((a, b) => b[1].ms - a[1].ms);
  // Names ending in __op are tfjs op scopes (fused ops with a custom gradient) around a kernel also listed.
  const kernelMs = rows.filter(([k]) => !k.includes("__op")).reduce((s, [, t]) => s + t.ms, 0) / steps;
  console.log(`\n# ${name}: ${stepMs.toFixed(1)} ms/step unprofiled (${((BATCH * 1000) / stepMs).toFixed(1)} img/s)`);
  console.log(`  kernels sum ${kernelMs.toFixed(1)} ms/step; the rest is JS/tape overhead`);
  console.log(
    `${"kernel".padEnd(byShape ? 60 : 36)}${"calls/step".padStart(11)}${"ms/step".padStart(10)}${"% step".padStart(8)}`,
  );
  for (const [kernel, t] of rows) {
    const ms = t.ms / steps;
    if (ms < 0.05) continue;
    const pct = (100 * ms) / stepMs;
    console.log(
      `${kernel.padEnd(byShape ? 60 : 36)}${(t.calls / steps).toFixed(0).padStart(11)}${ms.toFixed(2).padStart(10)}${pct.toFixed(1).padStart(8)}`,
    );
  }
  model.dispose();
  tf.dispose([xs, ys]);
  optimizer.dispose();
}

/** What src/backends replaces on the BatchNorm/elementwise hot path (captured before initBackend does). */
const HOT_PATH_KERNELS = ["Sum", "Mean", "FusedBatchNorm", "Multiply", "Add", "Sub", "Relu", "Square", "Identity"];
const tfjsKernels = HOT_PATH_KERNELS.map((name) => tf.getKernel(name, "wasm"));
const tfjsGradients = ["FusedBatchNorm", "Relu"].map((name) => tf.getGradient(name));
const backend = await initBackend("wasm");
if (process.argv.includes("--tfjs-kernels")) {
  for (const config of tfjsKernels) {
    if (!config) continue;
    tf.unregisterKernel(config.kernelName, "wasm");
    tf.registerKernel(config);
  }
  for (const config of tfjsGradients) if (config) tf.registerGradient(config);
  backend.detail += "; tfjs's own Sum/Mean/FusedBatchNorm/elementwise kernels and BatchNorm/ReLU gradients";
}
console.log(`tfjs backend: ${backend.name} — ${backend.detail}; batch ${BATCH} of ${SIZE}×${SIZE}×3, ${steps} steps`);
for (const name of models) await profileModel(name);

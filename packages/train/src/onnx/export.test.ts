import { writeFileSync } from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { augmentSpecSchema } from "../data/augment.ts";
import { createDecodePool } from "../data/decode-pool.ts";
import { trainEnv } from "../env.ts";
import { type InferenceEngine, onnxEngine, tfjsEngine } from "../inference/engine.ts";
import { readGraph } from "../inference/graph.ts";
import { buildTestModel, maxRelativeDiff, randomImages, ZOO_CASES } from "../testing/inference-fixtures.ts";
import { makeExportFixture } from "../testing/make-export-fixture.ts";
import { tempDir } from "../testing/temp-dir.ts";
import { useTestBackend } from "../testing/test-backend.ts";
import { inferBatches } from "../training/infer-batches.ts";
import { openImages } from "../training/predict.ts";
import { exportOnnx, METADATA_KEYS, ONNX_OPSET, type OnnxExportInfo } from "./export.ts";
import { checkOnnxFiles, findOnnxPython } from "./onnx-checker.ts";

const TOLERANCE = 1e-4;
const info = (architecture: string, size: number, classes = 10): OnnxExportInfo => ({
  architecture,
  classes: Array.from({ length: classes }, (_, i) => `n${String(i).padStart(8, "0")}`),
  preprocessing: { size, resize: size, mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.2435, 0.2616] },
});

/** The unfolded LayersModel as it is: the reference both exported runtimes are held to. */
function layersEngine(model: tf.LayersModel, size: number): InferenceEngine {
  return {
    name: "tfjs",
    detail: "tf.LayersModel.predict",
    run: async (x, n) =>
      tf.tidy(() => (model.predict(tf.tensor4d(x, [n, size, size, 3])) as tf.Tensor).dataSync() as Float32Array),
    dispose: async () => {},
  };
}

const argmax = (logits: Float32Array, row: number, k: number) => {
  let best = 0;
  for (let c = 1; c < k; c++) if ((logits[row * k + c] as number) > (logits[row * k + best] as number)) best = c;
  return best;
};

describe("ONNX export", () => {
  const tmp = tempDir("onnx");
  const files: { file: string; name: string }[] = [];
  beforeAll(useTestBackend);
  afterAll(tmp.cleanup);

  it.each(ZOO_CASES)("$name: onnxruntime-node gives the tfjs model's logits", async ({ name, inputSize }) => {
    const model = buildTestModel(name, inputSize);
    const bytes = exportOnnx(readGraph(model), info(name, inputSize));
    const file = path.join(tmp.dir, `${name}.onnx`);
    writeFileSync(file, bytes);
    files.push({ file, name });
    const x = randomImages(4, inputSize);
    const engine = await onnxEngine(bytes, [inputSize, inputSize, 3], 1);
    const [reference, onnx] = [await layersEngine(model, inputSize).run(x, 4), await engine.run(x, 4)];
    expect(onnx.length).toBe(4 * 10);
    expect(maxRelativeDiff(reference, onnx)).toBeLessThan(TOLERANCE);
    await engine.dispose();
    model.dispose();
  });

  const python = findOnnxPython();
  const mustCheck = trainEnv().ci;
  if (!python && !mustCheck) {
    console.warn("onnx.checker test skipped: Debian's python3-onnx is not installed (apt-get install python3-onnx)");
  }
  it.skipIf(!python && !mustCheck)("onnx.checker.check_model accepts every architecture's export", () => {
    if (!python) throw new Error("python3-onnx is missing in CI: .ci/run installs it with apt");
    expect(files.map((f) => f.name).sort()).toEqual(ZOO_CASES.map((c) => c.name).sort());
    const checked = checkOnnxFiles(
      python,
      files.map((f) => f.file),
    );
    for (const [i, c] of checked.entries()) {
      const { name } = files[i] as { name: string };
      expect(c.opset).toBe(ONNX_OPSET);
      expect(c.metadata[METADATA_KEYS.architecture]).toBe(name);
      expect(JSON.parse(c.metadata[METADATA_KEYS.classes] as string)).toEqual(info(name, 32).classes);
      expect(JSON.parse(c.metadata[METADATA_KEYS.preprocessing] as string)).toMatchObject({
        layout: "NHWC",
        size: expect.any(Number),
      });
    }
  });

  it("onnxruntime-node and the fused tfjs path give tfjs' top-1 on ≥ 99.9 % of an export's CIFAR test images", async () => {
    // A random ResNet-20 with random BN statistics: agreement measures whether the runtimes compute the same
    // function, which needs no training. An untrained net puts every image in one class, though (agreeing
    // trivially), so the head's bias is first shifted by minus each class's mean logit over these images:
    // then each image's top-1 is decided by what it looks like, with many classes chosen.
    const data = path.join(tmp.dir, "export");
    const fixture = makeExportFixture({ out: data, format: "jsonl", perClass: { test: 50 } });
    const model = buildTestModel("resnet20", 32);
    const k = fixture.classes.length;
    const spec = augmentSpecSchema.parse({ size: 32 });
    const pool = createDecodePool(0);
    const logitsOf = async (engine: InferenceEngine) => {
      const rows: Float32Array[] = [];
      for await (const { logits } of inferBatches(engine, await openImages(data, "test"), {
        batchSize: 64,
        spec,
        pool,
        prefetch: 1,
      })) {
        rows.push(logits);
      }
      await engine.dispose();
      const all = new Float32Array(rows.reduce((n, r) => n + r.length, 0));
      let offset = 0;
      for (const r of rows) {
        all.set(r, offset);
        offset += r.length;
      }
      return all;
    };
    const top1 = (logits: Float32Array) => Array.from({ length: logits.length / k }, (_, i) => argmax(logits, i, k));
    try {
      centreHead(model, await logitsOf(layersEngine(model, 32)), k);
      const bytes = exportOnnx(readGraph(model), info("resnet20", 32, k));
      const reference = top1(await logitsOf(layersEngine(model, 32)));
      const onnx = top1(await logitsOf(await onnxEngine(bytes, [32, 32, 3], 2)));
      const fused = top1(await logitsOf(tfjsEngine(model)));
      expect(reference).toHaveLength(500);
      expect(new Set(reference).size).toBeGreaterThanOrEqual(5); // not a near-constant model
      const agreement = (other: number[]) => other.filter((c, i) => c === reference[i]).length / reference.length;
      expect(agreement(onnx)).toBeGreaterThanOrEqual(0.999);
      expect(agreement(fused)).toBeGreaterThanOrEqual(0.999);
    } finally {
      await pool.close();
    }
  });
});

/** Subtracts each class's mean logit (over `logits`' rows) from the last dense layer's bias. */
function centreHead(model: tf.LayersModel, logits: Float32Array, k: number): void {
  const head = model.layers.at(-1) as tf.layers.Layer;
  const [kernel, bias] = head.getWeights() as [tf.Tensor, tf.Tensor];
  const mean = new Float32Array(k);
  const rows = logits.length / k;
  for (let i = 0; i < logits.length; i++) mean[i % k] = (mean[i % k] as number) + (logits[i] as number) / rows;
  const b = bias.dataSync();
  head.setWeights([kernel, tf.tensor1d(Array.from(b, (v, c) => v - (mean[c] as number)))]);
}

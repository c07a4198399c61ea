import { writeFileSync } from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildModel } from "../models/registry.ts";
import { tempDir } from "../testing/temp-dir.ts";
import { useTestBackend } from "../testing/test-backend.ts";
import { saveCheckpoint } from "./checkpoint.ts";
import { parseTrainConfig } from "./config.ts";
import { directoryIO } from "./file-io.ts";
import {
  applyInit,
  assertUsable,
  checkArchitecture,
  InitError,
  initDefaults,
  openInitSource,
  parentForUpload,
  scaledVariables,
} from "./init-from.ts";
import { Sgd } from "./sgd.ts";
import { trainableVariables } from "./train-step.ts";

const cls = (wnids: string[]) => wnids.map((wnid, index) => ({ index, wnid, lemmas: [wnid], gloss: "" }));
const CAT = "n02121808";
const SHIP = "n04194289";
const FROG = "n01639765";
const DOG = "n02084071";
const values = (t: tf.Tensor) => Array.from(t.dataSync());
const column = (kernel: tf.Tensor, j: number) => (kernel.arraySync() as number[][]).map((row) => row[j]);

describe("--init: starting weights from a trained model", () => {
  const tmp = tempDir("init");
  const ckptOut = path.join(tmp.dir, "pre");
  const config = parseTrainConfig({ model: "resnet8", width: 0.25, augment: { size: 16 } });
  let source: tf.LayersModel;
  beforeAll(async () => {
    await useTestBackend();
    source = buildModel("resnet8", { inputSize: 16, numClasses: 3, width: 0.25, seed: 7 });
    const sgd = new Sgd(trainableVariables(source), config);
    const state = { epoch: 1, step: 1, rng: [1, 2, 3, 4] as [number, number, number, number], dataset: null };
    await saveCheckpoint(ckptOut, { model: source, sgd, config, classes: cls([CAT, SHIP, FROG]), state });
    sgd.dispose();
  });
  afterAll(tmp.cleanup);

  it("copies the body and keeps the head rows of classes present in both, by wnid", async () => {
    const init = await openInitSource(ckptOut);
    expect(init.kind).toBe("checkpoint");
    expect(init.parent).toMatchObject({ name: "pre", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const target = buildModel("resnet8", { inputSize: 16, numClasses: 3, width: 0.25, seed: 99 });
    const freshHead = target
      .getLayer("head_fc")
      .getWeights()
      .map((w) => w.clone());
    const report = applyInit(target, init, cls([SHIP, DOG, CAT]));
    assertUsable(init, report);
    expect(report.missing).toEqual([]);
    expect(report.unused).toEqual([]);
    expect(report.head).toEqual({ layer: "head_fc", kept: [SHIP, CAT], fresh: [DOG] });
    expect(values(target.getLayer("stem_conv").getWeights()[0] as tf.Tensor)).toEqual(
      values(source.getLayer("stem_conv").getWeights()[0] as tf.Tensor),
    );
    const [k, b] = target.getLayer("head_fc").getWeights() as [tf.Tensor, tf.Tensor];
    const [sk, sb] = source.getLayer("head_fc").getWeights() as [tf.Tensor, tf.Tensor];
    expect(column(k, 0)).toEqual(column(sk, 1)); // ship: source row 1 → new row 0
    expect(column(k, 2)).toEqual(column(sk, 0)); // cat: source row 0 → new row 2
    expect(column(k, 1)).toEqual(column(freshHead[0] as tf.Tensor, 1)); // dog: fresh
    expect(values(b)).toEqual([values(sb)[1], values(freshHead[1] as tf.Tensor)[1], values(sb)[0]]);
    init.model.dispose();
    target.dispose();
  });

  it("takes a new class count: a head sized to the new export", async () => {
    const init = await openInitSource(ckptOut);
    const target = buildModel("resnet8", { inputSize: 16, numClasses: 5, width: 0.25, seed: 1 });
    const report = applyInit(target, init, cls([DOG, FROG, "n01503061", "n02691156", "n02958343"]));
    expect(report.head.kept).toEqual([FROG]);
    expect(report.head.fresh).toHaveLength(4);
    expect(target.outputs[0]?.shape).toEqual([null, 5]);
    init.model.dispose();
    target.dispose();
  });

  it("refuses a missing directory, another architecture, and a directory that is no model", async () => {
    await expect(openInitSource(path.join(tmp.dir, "nope"))).rejects.toThrow(/--init .*nope: no such directory/);
    await expect(openInitSource(tmp.dir)).rejects.toThrow(InitError);
    const init = await openInitSource(ckptOut);
    expect(() => checkArchitecture(init, parseTrainConfig({ ...config, model: "resnet20" }))).toThrow(
      /architecture mismatch: it is resnet8 width 0.25 at 16 px, this run builds resnet20/,
    );
    expect(() => checkArchitecture(init, parseTrainConfig({ ...config, width: 0.5 }))).toThrow(/architecture mismatch/);
    expect(() => checkArchitecture(init, config)).not.toThrow();
    init.model.dispose();
    expect(await initDefaults(ckptOut)).toEqual({ model: "resnet8", width: 0.25, augment: { size: 16 } });
  });

  it("maps a plain LayersModel by layer name and reports matched, shape-mismatched, missing and unused", async () => {
    // A "converted Keras model": two layers named like resnet8's (one of the right shape), one foreign layer.
    const input = tf.input({ shape: [16, 16, 3] });
    let x = tf.layers
      .conv2d({ name: "stem_conv", filters: 4, kernelSize: 3, padding: "same", useBias: false })
      .apply(input);
    x = tf.layers.conv2d({ name: "s1b1_a_conv", filters: 8, kernelSize: 3, padding: "same", useBias: false }).apply(x);
    const y = tf.layers
      .dense({ name: "predictions", units: 2 })
      .apply(tf.layers.globalAveragePooling2d({}).apply(x)) as tf.SymbolicTensor;
    const keras = tf.model({ inputs: input, outputs: y });
    const dir = path.join(tmp.dir, "keras");
    await keras.save(directoryIO(dir));

    const init = await openInitSource(dir);
    expect(init.kind).toBe("layers-model");
    expect(init.classes).toBeNull();
    const target = buildModel("resnet8", { inputSize: 16, numClasses: 2, width: 0.25, seed: 3 });
    const report = applyInit(target, init, cls([CAT, SHIP]));
    expect(report.matched).toEqual(["stem_conv/kernel"]);
    expect(report.shapeMismatch).toEqual([{ name: "s1b1_a_conv/kernel", source: [3, 3, 4, 8], target: [3, 3, 4, 4] }]);
    expect(report.missing).toContain("stem_bn/gamma");
    expect(report.unused).toEqual(["predictions/kernel", "predictions/bias"]);
    expect(report.head.fresh).toEqual([CAT, SHIP]); // no classes.json: rows cannot be matched to classes
    expect(values(target.getLayer("stem_conv").getWeights()[0] as tf.Tensor)).toEqual(
      values(keras.getLayer("stem_conv").getWeights()[0] as tf.Tensor),
    );
    expect(() => assertUsable(init, report)).not.toThrow();
    init.model.dispose();
    target.dispose();
  });

  it("fails clearly when nothing of a LayersModel matches", async () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ name: "fc_a", units: 3, inputShape: [4] })] });
    const dir = path.join(tmp.dir, "unrelated");
    await m.save(directoryIO(dir));
    writeFileSync(path.join(dir, "classes.json"), JSON.stringify(cls([CAT])));
    const init = await openInitSource(dir);
    const target = buildModel("resnet8", { inputSize: 16, numClasses: 2, width: 0.25, seed: 3 });
    const report = applyInit(target, init, cls([DOG, SHIP]));
    expect(() => assertUsable(init, report)).toThrow(/no layer matched by name and shape .* fc_a\/kernel/);
    init.model.dispose();
    target.dispose();
  });

  it("runs the body at lr × bodyLrScale and the head at lr", () => {
    const model = buildModel("resnet8", { inputSize: 8, numClasses: 2, width: 0.25, seed: 3 });
    const cfg = parseTrainConfig({ ...config, init: { from: "x", bodyLrScale: 0.25 } });
    const vars = scaledVariables(model, trainableVariables(model), cfg);
    expect(vars.find((v) => v.name === "head_fc/kernel")?.lrScale).toBeUndefined();
    expect(vars.find((v) => v.name === "stem_conv/kernel")?.lrScale).toBe(0.25);
    // The scale is applied by Sgd: the same gradient moves a 0.25-scaled variable a quarter as far.
    const a = tf.variable(tf.zeros([2]));
    const b = tf.variable(tf.zeros([2]));
    const sgd = new Sgd(
      [
        { name: "a", variable: a },
        { name: "b", variable: b, lrScale: 0.25 },
      ],
      { momentum: 0.9, nesterov: true, weightDecay: 0 },
    );
    sgd.apply([tf.ones([2]), tf.ones([2])], 0.1);
    expect(values(b)[0]).toBeCloseTo((values(a)[0] as number) * 0.25, 6);
    expect(values(a)[0]).not.toBe(0);
    sgd.dispose();
    model.dispose();
  });

  it("sends the parent's registry id only to the platform that issued it", () => {
    const parent = { name: "pre", sha256: "b".repeat(64), modelId: "12", registryUrl: "http://arbor.test:3000/" };
    expect(parentForUpload(parent, "http://arbor.test:3000")).toEqual({
      id: "12",
      name: "pre",
      sha256: "b".repeat(64),
    });
    expect(parentForUpload(parent, "http://other.test")).toEqual({ name: "pre", sha256: "b".repeat(64) });
    expect(parentForUpload(null, "http://arbor.test:3000")).toBeUndefined();
  });
});

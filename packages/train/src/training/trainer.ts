import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { loadBatches } from "../data/batch-loader.ts";
import { createDecodePool, defaultWorkerCount } from "../data/decode-pool.ts";
import { readHierarchy } from "../data/export-meta.ts";
import { openExport } from "../data/open-dataset.ts";
import { PixelCache } from "../data/pixel-cache.ts";
import { SeededRandom } from "../data/seeded-random.ts";
import type { SplitSource } from "../data/split-source.ts";
import { buildModel } from "../models/registry.ts";
import { type CheckpointParent, hasCheckpoint, loadCheckpoint, saveCheckpoint, type TrainState } from "./checkpoint.ts";
import type { TrainConfig } from "./config.ts";
import { HierarchyDistance } from "./hierarchical-distance.ts";
import { initModel, scaledVariables } from "./init-from.ts";
import { appendMetrics, type EpochMetrics, METRICS_FILE, truncateMetrics } from "./metrics-log.ts";
import { evaluateSplit } from "./run-eval.ts";
import { learningRate } from "./schedules.ts";
import { Sgd } from "./sgd.ts";
import { trainableVariables, trainStep } from "./train-step.ts";

export interface TrainProgress {
  phase: "train" | "val";
  epoch: number;
  epochs: number;
  done: number;
  total: number;
  loss?: number;
  acc?: number;
  imgPerSec?: number;
  lr?: number;
}

export interface TrainRun {
  data: string;
  out: string;
  config: TrainConfig;
  /** Continue from <out>/latest.json (its config wins, except `epochs`, which may extend the run). */
  resume?: boolean;
  /** Stop after this many epochs in this invocation (tests of resume; the schedule still spans `epochs`). */
  stopAfterEpochs?: number;
  onProgress?: (p: TrainProgress) => void;
  log?: (line: string) => void;
}

/** Reads accumulated step results every few steps: each read is a device sync on GPU backends. */
const READ_EVERY = 10;

export async function train(run: TrainRun): Promise<EpochMetrics[]> {
  const log = run.log ?? (() => {});
  const dataset = await openExport(run.data);
  let config = run.config;
  let model: tf.LayersModel;
  let state: TrainState;
  let history: EpochMetrics[] = [];
  const resumed = run.resume && (await hasCheckpoint(run.out));
  await mkdir(run.out, { recursive: true });
  let sgd: Sgd;
  let parent: CheckpointParent | null = null;
  if (resumed) {
    const ckpt = await loadCheckpoint(run.out);
    config = { ...ckpt.config, epochs: run.config.epochs };
    model = ckpt.model;
    state = ckpt.state;
    parent = ckpt.parent;
    // Frozen layers come back frozen (model.json keeps `trainable`); the body's lr scale comes from config.
    sgd = new Sgd(scaledVariables(model, trainableVariables(model), config), config);
    const names = sgd.variables.map((v) => v.name).join();
    if (names !== ckpt.optimizer.variables.join()) throw new Error("optimizer state does not match the model");
    sgd.buffers.forEach((b, i) => {
      b.assign(ckpt.optimizer.buffers[i] as tf.Tensor);
    });
    tf.dispose(ckpt.optimizer.buffers);
    history = await truncateMetrics(run.out, state.epoch);
    log(`resuming from ${ckpt.dir} (epoch ${state.epoch} of ${config.epochs})`);
  } else {
    model = buildModel(config.model, {
      inputSize: config.augment.size,
      numClasses: dataset.classes.length,
      width: config.width,
      seed: config.seed,
    });
    if (config.init) {
      try {
        parent = await initModel(model, config, dataset.classes, log);
      } catch (err) {
        model.dispose();
        throw err;
      }
    }
    sgd = new Sgd(scaledVariables(model, trainableVariables(model), config), config);
    state = { epoch: 0, step: 0, rng: new SeededRandom(config.seed).state(), dataset: dataset.info.dataset };
    await writeFile(path.join(run.out, METRICS_FILE), "");
  }
  const numClasses = dataset.classes.length;
  const rng = new SeededRandom(state.rng);
  const trainSource = await dataset.split(config.data.trainSplit, {
    limit: config.data.trainLimit,
    seed: config.seed,
    shuffleBuffer: config.data.shuffleBuffer,
  });
  const valSplit = config.data.valSplit;
  const valSource: SplitSource | null =
    valSplit && dataset.has(valSplit, true)
      ? await dataset.split(valSplit, { limit: config.data.valLimit, seed: config.seed })
      : null;
  const hierarchy = valSource ? new HierarchyDistance(await readHierarchy(dataset.reader)) : null;
  const dropLast = trainSource.size >= config.batchSize;
  const stepsPerEpoch = dropLast ? Math.floor(trainSource.size / config.batchSize) : 1;
  const totalSteps = stepsPerEpoch * config.epochs;
  const workers = config.data.workers ?? defaultWorkerCount();
  const pool = createDecodePool(workers);
  const cache = new PixelCache(config.data.cacheMB * 1024 * 1024);
  log(
    `model ${config.model} (${model.countParams().toLocaleString("en")} parameters), ${trainSource.size} train images` +
      `${valSource ? `, ${valSource.size} ${valSplit} images` : ", no validation split"}, ${stepsPerEpoch} steps/epoch, ${workers} decode worker(s)`,
  );

  const lastEpoch = Math.min(config.epochs, state.epoch + (run.stopAfterEpochs ?? Number.POSITIVE_INFINITY));
  try {
    for (let epoch = state.epoch; epoch < lastEpoch; epoch++) {
      const epochSeed = rng.nextUint32();
      const started = performance.now();
      let trainMs = 0;
      let seen = 0;
      let lossSum = 0;
      let correctSum = 0;
      let lr = 0;
      let pending: { loss: tf.Scalar; correct: tf.Scalar; n: number }[] = [];
      const flush = () => {
        for (const p of pending) {
          lossSum += (p.loss.dataSync()[0] as number) * p.n;
          correctSum += p.correct.dataSync()[0] as number;
          tf.dispose([p.loss, p.correct]);
        }
        pending = [];
      };
      let stepStart = performance.now();
      for await (const batch of loadBatches(trainSource, {
        batchSize: config.batchSize,
        spec: config.augment,
        train: true,
        seed: epochSeed,
        shuffle: true,
        dropLast,
        prefetch: config.data.prefetch,
        pool,
        cache,
      })) {
        lr = learningRate(config.schedule, config.lr, state.step, totalSteps, stepsPerEpoch);
        const out = trainStep(
          model,
          sgd,
          { x: batch.x, labels: batch.labels, size: batch.size, inputSize: config.augment.size },
          numClasses,
          config.labelSmoothing,
          lr,
        );
        pending.push({ ...out, n: batch.size });
        state.step++;
        seen += batch.size;
        if (pending.length >= READ_EVERY) flush();
        trainMs += performance.now() - stepStart;
        stepStart = performance.now();
        if (pending.length === 0 || seen === batch.size) {
          flush();
          run.onProgress?.({
            phase: "train",
            epoch: epoch + 1,
            epochs: config.epochs,
            done: seen,
            total: stepsPerEpoch * config.batchSize,
            loss: lossSum / seen,
            acc: correctSum / seen,
            imgPerSec: seen / (trainMs / 1000),
            lr,
          });
        }
      }
      flush();
      const imgPerSec = seen / (trainMs / 1000);
      let val = null;
      if (valSource) {
        val = await evaluateSplit(model, valSource, dataset.classes, hierarchy, {
          batchSize: config.batchSize,
          spec: config.augment,
          pool,
          cache,
          prefetch: config.data.prefetch,
          onBatch: (done, total) =>
            run.onProgress?.({ phase: "val", epoch: epoch + 1, epochs: config.epochs, done, total }),
        });
      }
      const row: EpochMetrics = {
        epoch: epoch + 1,
        trainLoss: lossSum / Math.max(1, seen),
        trainAcc: correctSum / Math.max(1, seen),
        valLoss: val ? val.loss : null,
        valTop1: val ? 1 - val.top1Error : null,
        valTop5: val ? 1 - val.top5Error : null,
        lr,
        imgPerSec,
        seconds: (performance.now() - started) / 1000,
      };
      await appendMetrics(run.out, row);
      history.push(row);
      state = { ...state, epoch: epoch + 1, rng: rng.state() };
      await saveCheckpoint(run.out, { model, sgd, config, classes: dataset.classes, state, parent });
      log(
        `epoch ${row.epoch}/${config.epochs}: train loss ${row.trainLoss.toFixed(3)} acc ${(row.trainAcc * 100).toFixed(1)}%` +
          (val ? `, ${valSplit} loss ${val.loss.toFixed(3)} top-1 ${((1 - val.top1Error) * 100).toFixed(1)}%` : "") +
          `, ${imgPerSec.toFixed(0)} img/s, ${row.seconds.toFixed(0)} s`,
      );
    }
  } finally {
    await pool.close();
    sgd.dispose();
    model.dispose();
  }
  return history;
}

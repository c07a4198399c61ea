import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { onnxEngine } from "../inference/engine.ts";
import { buildTestModel, maxRelativeDiff, randomImages } from "../testing/inference-fixtures.ts";
import { makeExportFixture } from "../testing/make-export-fixture.ts";
import { tempDir } from "../testing/temp-dir.ts";
import { useTestBackend } from "../testing/test-backend.ts";
import { saveCheckpoint } from "../training/checkpoint.ts";
import { trainConfigSchema } from "../training/config.ts";
import { Sgd } from "../training/sgd.ts";
import { trainableVariables } from "../training/train-step.ts";
import { registerTrainCommands } from "./register-commands.ts";

async function run(...args: string[]): Promise<string[]> {
  const err = vi.spyOn(console, "error").mockImplementation(() => {});
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  try {
    await registerTrainCommands(new Command("arbor-train").exitOverride()).parseAsync(["node", "arbor-train", ...args]);
    return err.mock.calls.map((c) => String(c[0]));
  } finally {
    err.mockRestore();
    log.mockRestore();
  }
}

describe("arbor-train export-onnx and predict --engine", () => {
  const tmp = tempDir("export-onnx");
  const data = path.join(tmp.dir, "export");
  const out = path.join(tmp.dir, "run");
  const model = () => buildTestModel("resnet8", 32, 2);
  const posted: string[] = [];
  let registered: { metrics?: Record<string, unknown> } = {};
  let server: Server;
  let url = "";
  beforeAll(async () => {
    await useTestBackend();
    const fixture = makeExportFixture({ out: data, format: "jsonl", classes: ["cat", "ship"], perClass: { test: 8 } });
    const m = model();
    const sgd = new Sgd(trainableVariables(m), { momentum: 0.9, nesterov: false, weightDecay: 0 });
    const config = trainConfigSchema.parse({ model: "resnet8", width: 0.25 });
    await saveCheckpoint(out, {
      model: m,
      sgd,
      config,
      classes: fixture.classes,
      state: { epoch: 1, step: 1, rng: [1, 2, 3, 4], dataset: null },
    });
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      posted.push(`${req.method} ${req.url}`);
      if (req.url === "/api/v1/models") {
        registered = JSON.parse(Buffer.concat(chunks).toString());
        return res.writeHead(201).end('{"id":"m1"}');
      }
      if (req.method === "PUT") return res.writeHead(201).end('{"name":"x","bytes":1}');
      res.writeHead(200).end(JSON.stringify({ accepted: 16, unknownImages: 0 }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    tmp.cleanup();
  });

  it("writes an ONNX file that onnxruntime-node runs to the checkpoint's logits", async () => {
    const file = path.join(tmp.dir, "model.onnx");
    const said = await run("export-onnx", "--model", out, "--out", file);
    expect(said.join("\n")).toContain("resnet8, 2 classes, input [batch, 32, 32, 3] NHWC");
    const engine = await onnxEngine(new Uint8Array(readFileSync(file)), [32, 32, 3], 1);
    const x = randomImages(2, 32);
    const reference = model(); // the same seed builds the same weights the checkpoint holds
    const expected = (reference.predict(tf.tensor4d(x, [2, 32, 32, 3])) as tf.Tensor).dataSync();
    expect(maxRelativeDiff(expected, await engine.run(x, 2))).toBeLessThan(1e-4);
    await engine.dispose();
  });

  it("predicts with the engine asked for, says which, and both give the same top-1", async () => {
    const common = ["--images", data, "--model", out, "--top-k", "1", "--workers", "0"];
    const top1 = async (engine: string) => {
      const file = path.join(tmp.dir, `pred-${engine}.jsonl`);
      const said = await run("predict", ...common, "--engine", engine, "--out", file);
      expect(said.some((l) => l.startsWith(`engine: ${engine} (`))).toBe(true);
      return readFileSync(file, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).predictions[0].wnid);
    };
    const onnx = await top1("onnx");
    expect(onnx).toHaveLength(16);
    expect(await top1("tfjs")).toEqual(onnx);
    // without --engine: onnx, since onnxruntime-node is installed here
    const said = await run("predict", ...common, "--out", path.join(tmp.dir, "pred.jsonl"));
    expect(said.some((l) => l.startsWith("engine: onnx ("))).toBe(true);
  });

  it("refuses an engine it does not know", async () => {
    await expect(run("predict", "--images", data, "--model", out, "--engine", "torch")).rejects.toThrow(/--engine/);
  });

  it("uploads model.onnx with the checkpoint's files on --push, the preprocessing with the metrics", async () => {
    await run(
      "predict",
      "--images",
      data,
      "--model",
      out,
      "--workers",
      "0",
      "--push",
      url,
      "--token",
      "t",
      "--out",
      path.join(tmp.dir, "p.jsonl"),
    );
    expect(posted).toEqual(
      expect.arrayContaining([
        "PUT /api/v1/models/m1/artifacts/model.onnx",
        "PUT /api/v1/models/m1/artifacts/model.json",
      ]),
    );
    expect(registered.metrics?.preprocessing).toEqual({
      size: 32,
      resize: 32,
      mean: [0.4914, 0.4822, 0.4465],
      std: [0.247, 0.2435, 0.2616],
    });
  });
});

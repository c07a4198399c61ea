import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { makeExportFixture } from "../testing/make-export-fixture.ts";
import { tempDir } from "../testing/temp-dir.ts";
import { registerTrainCommands } from "./register-commands.ts";

async function run(...args: string[]): Promise<void> {
  const program = registerTrainCommands(new Command("arbor-train").exitOverride());
  await program.parseAsync(["node", "arbor-train", ...args]);
}

describe("arbor-train commands", () => {
  const tmp = tempDir("cli");
  const data = path.join(tmp.dir, "export");
  const out = path.join(tmp.dir, "run");
  const posted: { url: string; body: string }[] = [];
  let server: Server;
  let url = "";
  beforeAll(async () => {
    makeExportFixture({
      out: data,
      format: "imagefolder",
      classes: ["cat", "ship"],
      perClass: { train: 16, val: 8, test: 8 },
    });
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      posted.push({ url: req.url ?? "", body: Buffer.concat(chunks).toString() });
      if (req.url === "/api/v1/models") return res.writeHead(201).end('{"id":"abc"}');
      if (req.method === "PUT") return res.writeHead(201).end('{"name":"x","bytes":1}');
      res.writeHead(200).end(JSON.stringify({ accepted: 2, unknownImages: 0 }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    tmp.cleanup();
  });

  it("trains, evaluates and predicts with --push", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const common = ["--backend", "wasm", "--workers", "0"];
      await run(
        "train",
        "--data",
        data,
        "--out",
        out,
        "--model",
        "resnet8",
        "--width",
        "0.25",
        "--epochs",
        "1",
        "--batch-size",
        "8",
        ...common,
      );
      expect(err.mock.calls.some((c) => String(c[0]).startsWith("backend: wasm"))).toBe(true);
      const rows = readFileSync(path.join(out, "metrics.jsonl"), "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(rows[0]).toMatchObject({ epoch: 1 });
      expect(rows[0].valTop1).toBeTypeOf("number");

      await run("evaluate", "--data", data, "--model", out, ...common);
      const result = JSON.parse(readFileSync(path.join(out, "eval-test.json"), "utf8"));
      expect(result.images).toBe(16);
      expect(result.confusion).toHaveLength(2);
      expect(result.hierarchicalError).toBeTypeOf("number");

      const predictions = path.join(tmp.dir, "pred.jsonl");
      await run(
        "predict",
        "--images",
        data,
        "--model",
        out,
        "--top-k",
        "1",
        "--out",
        predictions,
        "--push",
        url,
        "--token",
        "t",
        ...common,
      );
      const lines = readFileSync(predictions, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(lines).toHaveLength(16);
      expect(lines[0].predictions).toHaveLength(1);
      expect(lines[0].sha256).toMatch(/^[0-9a-f]{64}$/);
      const urls = posted.map((p) => p.url);
      expect(urls[0]).toBe("/api/v1/models");
      // the checkpoint's files, then the predictions
      expect(urls.slice(1, -1)).toEqual(
        expect.arrayContaining(["/api/v1/models/abc/artifacts/model.json", "/api/v1/models/abc/artifacts/weights.bin"]),
      );
      expect(urls.at(-1)).toBe("/api/v1/models/abc/predictions");
      const model = JSON.parse(posted[0]?.body as string);
      expect(model).toMatchObject({ architecture: "resnet8", classes: ["n02121808", "n04194289"] });
      expect(model.curve).toHaveLength(1);
      expect(posted.at(-1)?.body.trim().split("\n")).toHaveLength(16);
      expect(existsSync(path.join(out, "latest.json"))).toBe(true);
      // the run remembers its registry id, so `train --init <out>` can name its parent by id
      expect(JSON.parse(readFileSync(path.join(out, "registry.json"), "utf8"))).toEqual({ modelId: "abc", url });
      expect(model.parent).toBeUndefined();
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  });
});

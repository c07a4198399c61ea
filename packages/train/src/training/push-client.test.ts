import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createModel, MAX_LINES_PER_REQUEST, pushPredictions } from "./push-client.ts";

interface Seen {
  method: string;
  url: string;
  auth: string | undefined;
  type: string | undefined;
  body: string;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

describe("platform push client", () => {
  const seen: Seen[] = [];
  let failNext = 0;
  let server: Server;
  let baseUrl = "";
  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const text = await body(req);
      seen.push({
        method: req.method ?? "",
        url: req.url ?? "",
        auth: req.headers.authorization,
        type: req.headers["content-type"],
        body: text,
      });
      if (failNext > 0) {
        failNext--;
        res.writeHead(503).end("busy");
        return;
      }
      if (req.headers.authorization !== "Bearer t0k") return res.writeHead(401).end('{"error":{"status":401}}');
      if (req.url === "/api/v1/models")
        return res.writeHead(201, { "content-type": "application/json" }).end('{"id":"m1"}');
      const lines = text.trim().split("\n");
      const unknown = lines.filter((l) => JSON.parse(l).sha256.startsWith("f")).length;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ accepted: lines.length - unknown, unknownImages: unknown }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("creates the model, then sends predictions as NDJSON in batches of at most 5000 lines", async () => {
    const opts = { baseUrl, token: "t0k", backoffMs: 1 };
    const id = await createModel(opts, {
      name: "r20",
      architecture: "resnet20",
      metrics: { top1: 0.9 },
      curve: [],
      classes: ["n02121808"],
    });
    expect(id).toBe("m1");
    const created = seen.at(-1) as Seen;
    expect(created.type).toBe("application/json");
    expect(JSON.parse(created.body)).toMatchObject({ name: "r20", architecture: "resnet20", classes: ["n02121808"] });

    seen.length = 0;
    const n = MAX_LINES_PER_REQUEST + 10;
    const lines = Array.from({ length: n }, (_, i) => ({
      sha256: (i < 10 ? "f" : "a").padEnd(64, String(i % 10)),
      wnid: "n02121808",
      score: 0.5,
    }));
    failNext = 1; // the first batch meets a 503 once and is retried
    const res = await pushPredictions(opts, id, lines);
    expect(res).toEqual({ accepted: n - 10, unknownImages: 10 });
    expect(seen.map((s) => s.url)).toEqual(Array(3).fill("/api/v1/models/m1/predictions"));
    expect(seen[1]?.body).toBe(seen[0]?.body); // the retry re-sends the same batch
    expect(seen[1]?.body.trim().split("\n")).toHaveLength(MAX_LINES_PER_REQUEST);
    expect(seen[2]?.body.trim().split("\n")).toHaveLength(10);
    expect(seen.every((s) => s.type === "application/x-ndjson" && s.auth === "Bearer t0k")).toBe(true);
    expect(JSON.parse(seen[2]?.body.split("\n")[0] as string)).toEqual(lines[MAX_LINES_PER_REQUEST]);
  });

  it("does not retry a 4xx, and rejects a malformed answer", async () => {
    seen.length = 0;
    await expect(
      createModel(
        { baseUrl, token: "bad", backoffMs: 1 },
        { name: "x", architecture: "x", metrics: {}, curve: [], classes: [] },
      ),
    ).rejects.toThrow(/HTTP 401/);
    expect(seen).toHaveLength(1);
    const fakeFetch = (async () => new Response('{"id": 5}', { status: 201 })) as typeof fetch;
    await expect(
      createModel(
        { baseUrl, token: "t0k", fetchImpl: fakeFetch },
        { name: "x", architecture: "x", metrics: {}, curve: [], classes: [] },
      ),
    ).rejects.toThrow();
  });
});

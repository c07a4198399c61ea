import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { childProcessEnv } from "../env.ts";
import { downloadTestImages, submitToServer } from "./challenge-client.ts";

const BIN = fileURLToPath(new URL("../../bin/arbor.mjs", import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), "arbor-challenge-client-"));
const file = (name: string, text: string | Buffer) => {
  const full = path.join(dir, name);
  writeFileSync(full, text);
  return full;
};

const SCORES = { top1: 0.25, top5: 0.125, hier2010: 0.5, hier2011: 0.0625 };
const ARCHIVE = Buffer.alloc(300_000, 7);

interface Seen {
  method: string;
  url: string;
  auth: string | undefined;
  type: string | undefined;
  body: string;
}

/**
 * A stand-in for the Arbor API, answering the way its routes do: `Bearer good` is the one valid token;
 * phase 7 takes devkit files whose lines are class indices (a line "x" is refused as the server's parser
 * would), lists the new submission queued on the first look and scored on the second; phase 8's daily quota
 * is spent; phase 9's scorer fails; phase 10 never finishes scoring.
 */
function fakeServer() {
  const seen: Seen[] = [];
  let looks = 0;
  const server = createServer(async (req, res) => {
    const body = await text(req);
    seen.push({
      method: req.method ?? "",
      url: req.url ?? "",
      auth: req.headers.authorization,
      type: req.headers["content-type"],
      body,
    });
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) =>
      res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(value));
    const refuse = (status: number, message: string, headers?: Record<string, string>) =>
      json(status, { error: { status, message } }, headers);
    if (req.headers.authorization !== "Bearer good")
      return refuse(401, "sign in first (session cookie or Bearer token)");
    const url = new URL(req.url ?? "/", "http://fake");
    const phase = Number(url.pathname.match(/^\/api\/v1\/phases\/(\d+)\//)?.[1]);
    if (url.pathname.endsWith("/test-images/archive")) {
      return res.writeHead(200, { "content-type": "application/x-tar", "content-length": ARCHIVE.length }).end(ARCHIVE);
    }
    if (req.method === "POST") {
      if (phase === 8)
        return refuse(
          429,
          "the team has used its 2 submissions of today (UTC); the next slot opens at 2026-12-02T00:00:00.000Z",
          { "retry-after": "3600" },
        );
      if (body.split("\n").some((line) => line.trim() === "x"))
        return refuse(
          400,
          'invalid submission (devkit): 1 problem\n  line 2: expected up to 5 class indices 1..4 separated by spaces, found "x"',
        );
      looks = 0;
      return json(201, {
        id: 41,
        status: "queued",
        sha256: "ab",
        duplicate: false,
        remainingToday: 4,
        remainingTotal: 99,
        nextSlotAt: null,
      });
    }
    looks++;
    const status = phase === 10 ? "queued" : phase === 9 ? "failed" : looks > 1 ? "scored" : "queued";
    return json(200, {
      phaseId: phase,
      submissions: [
        { id: 40, status: "scored", failureReason: null, publicScores: { ...SCORES, top1: 0.9 } },
        {
          id: 41,
          status,
          failureReason: status === "failed" ? "the scorer ran out of memory" : null,
          publicScores: status === "scored" ? SCORES : null,
        },
      ],
    });
  });
  return { server, seen };
}

async function text(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Runs the real command (asynchronously: the fake server answers from this process). */
const arbor = (...args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, [BIN, ...args], { encoding: "utf8" }, (_error, stdout, stderr) =>
      resolve({ status: child.exitCode, stdout, stderr }),
    );
  });

describe("arbor challenge submit and test-images (against a fake server)", () => {
  const fake = fakeServer();
  let server: Server;
  let base: string;
  const fast = { pollMs: { first: 10, max: 20 } };
  const good = file("good.txt", "1 2 3\n4\n");
  const bad = file("bad.txt", "1\nx\n");

  beforeAll(async () => {
    server = fake.server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it("uploads the file as text/plain with the token, waits for the score and prints the public scores, JSON last", async () => {
    const before = fake.seen.length;
    const out = await submitToServer(good, { server: base, token: "good", phase: "7" }, fast);
    expect(out.exitCode).toBe(0);
    const requests = fake.seen.slice(before);
    // A look at the team's submissions first (a bad token is refused before the upload), then the file.
    expect(requests[0]).toMatchObject({ method: "GET", url: "/api/v1/phases/7/submissions", auth: "Bearer good" });
    expect(requests[1]).toMatchObject({
      method: "POST",
      url: "/api/v1/phases/7/submissions?format=devkit",
      auth: "Bearer good",
      type: "text/plain; charset=utf-8",
      body: "1 2 3\n4\n",
    });
    // Then it polls until the submission is scored (queued on the first look, scored on the second).
    expect(requests.slice(2).map((r) => `${r.method} ${r.url}`)).toEqual([
      "GET /api/v1/phases/7/submissions",
      "GET /api/v1/phases/7/submissions",
    ]);
    expect(out.stdout[0]).toBe("submission #41 accepted: 4 left today, 99 in all");
    expect(out.stdout.join("\n")).toContain("top-1 error 0.2500  top-5 error 0.1250");
    expect(JSON.parse(out.stdout.at(-1) as string)).toEqual({ id: 41, status: "scored", public: SCORES });
  });

  it("runs as a command: the same JSON line, exit 0; a bad token exits 1 with the server's message, no stack", async () => {
    const ok = await arbor("challenge", "submit", "--server", base, "--token", "good", "--phase", "7", good);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout.trim().split("\n").at(-1) as string)).toEqual({
      id: 41,
      status: "scored",
      public: SCORES,
    });
    const before = fake.seen.length;
    const refused = await arbor("challenge", "submit", "--server", base, "--token", "stolen", "--phase", "7", good);
    expect(refused.status).toBe(1);
    expect(fake.seen.slice(before).map((r) => r.method)).toEqual(["GET"]); // never uploaded
    expect(refused.stderr).toMatch(
      /^arbor: sign in first \(session cookie or Bearer token\) \(HTTP 401; check --token or ARBOR_TOKEN: an API token from your account page\)\n$/,
    );
    expect(refused.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    expect(refused.stdout).toBe("");
  }, 30_000);

  it("takes the server and token from ARBOR_SERVER and ARBOR_TOKEN", async () => {
    const out = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        [BIN, "challenge", "submit", "--phase", "7", good],
        { encoding: "utf8", env: childProcessEnv({ ARBOR_SERVER: base, ARBOR_TOKEN: "good" }) },
        (_e, stdout) => resolve({ status: child.exitCode, stdout }),
      );
    });
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('"status":"scored"');
  }, 30_000);

  it("shows the server's 400 for a malformed file, and the next slot for a spent quota", async () => {
    await expect(submitToServer(bad, { server: base, token: "good", phase: "7" }, fast)).rejects.toThrow(
      'invalid submission (devkit): 1 problem\n  line 2: expected up to 5 class indices 1..4 separated by spaces, found "x" (HTTP 400)',
    );
    await expect(submitToServer(good, { server: base, token: "good", phase: "8" }, fast)).rejects.toThrow(
      "the team has used its 2 submissions of today (UTC); the next slot opens at 2026-12-02T00:00:00.000Z (HTTP 429; retry after 3600 s)",
    );
  });

  it("exits 1 with the JSON line when scoring fails or does not finish in --timeout", async () => {
    const failed = await submitToServer(good, { server: base, token: "good", phase: "9" }, fast);
    expect(failed.exitCode).toBe(1);
    expect(JSON.parse(failed.stdout.at(-1) as string)).toEqual({
      id: 41,
      status: "failed",
      failureReason: "the scorer ran out of memory",
    });
    const slow = await submitToServer(good, { server: base, token: "good", phase: "10", timeout: "0.1" }, fast);
    expect(slow.exitCode).toBe(1);
    expect(slow.stderr.join("\n")).toMatch(/submission #41 is still queued after 0.1 s/);
    expect(JSON.parse(slow.stdout.at(-1) as string)).toEqual({ id: 41, status: "queued", public: null });
  });

  it("refuses bad flags before sending anything", async () => {
    const before = fake.seen.length;
    const cases: [Parameters<typeof submitToServer>[1], string][] = [
      [{ server: base, token: "good", phase: "seven" }, '--phase must be a phase id (a whole number), not "seven"'],
      [{ server: "ftp://x", token: "good", phase: "7" }, "--server must be an http(s) URL"],
      [
        { server: base, token: "good", phase: "7", format: "xml" },
        "--format must be one of devkit, csv, jsonl, not xml",
      ],
      [{ server: base, token: "good", phase: "7", timeout: "-1" }, "--timeout must be a positive number of seconds"],
    ];
    for (const [flags, message] of cases) await expect(submitToServer(good, flags, fast)).rejects.toThrow(message);
    await expect(
      submitToServer(path.join(dir, "missing.txt"), { server: base, token: "good", phase: "7" }),
    ).rejects.toThrow("cannot read the submission file");
    await expect(
      submitToServer(file("what.txt", "hello\n"), { server: base, token: "good", phase: "7" }),
    ).rejects.toThrow("cannot tell the submission's format; pass --format");
    expect(fake.seen.length).toBe(before);
  });

  it("says when the server cannot be reached", async () => {
    await expect(submitToServer(good, { server: "http://127.0.0.1:1", token: "good", phase: "7" })).rejects.toThrow(
      /cannot reach http:\/\/127\.0\.0\.1:1: ECONNREFUSED/,
    );
  });

  it("downloads the test images' archive into the folder, and leaves nothing behind on a refusal", async () => {
    const out = path.join(dir, "images");
    const result = await downloadTestImages({ server: base, token: "good", phase: "7", out });
    const saved = path.join(out, "phase-7-test-images.tar");
    expect(readFileSync(saved).equals(ARCHIVE)).toBe(true);
    expect(JSON.parse(result.stdout.at(-1) as string)).toEqual({ phaseId: 7, file: saved, bytes: ARCHIVE.length });
    const other = path.join(dir, "refused");
    await expect(downloadTestImages({ server: base, token: "nope", phase: "7", out: other })).rejects.toThrow(
      /HTTP 401/,
    );
    expect(existsSync(other) ? readdirSync(other) : []).toEqual([]);
  });
});

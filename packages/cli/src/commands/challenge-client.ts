import { createWriteStream } from "node:fs";
import { mkdir, readFile, rename, rm } from "node:fs/promises";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { detectSubmissionFormat, SUBMISSION_FORMATS, type SubmissionFormat } from "@arbor/core";
import { z } from "zod";
import { cliEnv } from "../env.ts";
import { progressBar } from "../progress.ts";

/**
 * The participant's side of a challenge over HTTP (`arbor challenge submit`, `arbor challenge test-images`):
 * no database, only the server's REST API with an API token (`Authorization: Bearer`, made on the account
 * page). A refusal is thrown as an Error whose message is the server's own, with its status.
 */

export interface ServerFlags {
  server?: string;
  token?: string;
  phase: string;
}

export interface SubmitFlags extends ServerFlags {
  format?: string;
  /** Seconds to wait for the score (default 600). */
  timeout?: string;
}

export interface TestImagesFlags extends ServerFlags {
  out: string;
}

/** What a command prints: stdout lines (the last is JSON), stderr lines, and the exit status. */
export interface ClientOutput {
  stdout: string[];
  stderr: string[];
  exitCode: number;
}

interface Connection {
  base: URL;
  token: string;
  phaseId: number;
}

const scoresSchema = z.object({
  top1: z.number(),
  top5: z.number(),
  hier2010: z.number().nullable(),
  hier2011: z.number().nullable(),
});
type Scores = z.infer<typeof scoresSchema>;

const acceptedSchema = z.object({
  id: z.number().int(),
  status: z.string(),
  duplicate: z.boolean(),
  remainingToday: z.number().int(),
  remainingTotal: z.number().int(),
  nextSlotAt: z.string().nullable(),
});

const mySubmissionsSchema = z.object({
  submissions: z.array(
    z.object({
      id: z.number().int(),
      status: z.string(),
      failureReason: z.string().nullable().optional(),
      publicScores: scoresSchema.nullable().optional(),
    }),
  ),
});

/** Between two looks at the submission's status: from 1 s, growing to 5 s. */
const POLL_MS = { first: 1000, max: 5000 };

/**
 * Uploads a submission file to a phase (POST /api/v1/phases/{id}/submissions?format=…, text/plain, with a
 * progress bar on a terminal), then polls the team's submissions until this one is scored or failed, and
 * prints its public scores. The last stdout line is JSON: {"id", "status", "public"} (or "failureReason").
 * A refusal (bad token, malformed file, quota) throws with the server's message; a failed scoring or a
 * timeout prints the JSON line and exits 1.
 */
export async function submitToServer(
  file: string,
  flags: SubmitFlags,
  options: { pollMs?: { first: number; max: number } } = {},
): Promise<ClientOutput> {
  const connection = connect(flags);
  const timeoutSeconds = flags.timeout === undefined ? 600 : positiveNumber(flags.timeout, "--timeout");
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch (error) {
    throw new Error(`cannot read the submission file ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  const format = submissionFormat(file, content.toString("utf8"), flags.format);
  // A cheap look first: a bad token, an unknown phase or a missing membership is refused before the upload
  // (a server refusing mid-upload may cut the connection before its answer is read).
  await send(connection, "GET", `api/v1/phases/${connection.phaseId}/submissions`);
  const stderr: string[] = [];
  process.stderr.write(
    `uploading ${path.basename(file)} (${format}, ${bytes(content.length)}) to phase ${connection.phaseId}\n`,
  );
  const bar = progressBar("upload");
  let answer: string;
  try {
    answer = await send(connection, "POST", `api/v1/phases/${connection.phaseId}/submissions?format=${format}`, {
      bytes: content,
      type: "text/plain; charset=utf-8",
      onProgress: (sent) => bar.update("bytes", sent, content.length),
    });
  } finally {
    bar.stop();
  }
  const accepted = parseAnswer(acceptedSchema, answer, "the submission's answer");
  const stdout = [
    accepted.duplicate
      ? `the same file as submission #${accepted.id}, which counts once (no quota used)`
      : `submission #${accepted.id} accepted: ${accepted.remainingToday} left today, ${accepted.remainingTotal} in all` +
        (accepted.nextSlotAt ? `; the next slot opens at ${accepted.nextSlotAt}` : ""),
  ];

  const deadline = Date.now() + timeoutSeconds * 1000;
  const poll = options.pollMs ?? POLL_MS;
  let wait = poll.first;
  let status = accepted.status;
  for (;;) {
    const mine = await lookUp(connection, accepted.id);
    if (mine) {
      status = mine.status;
      if (status === "scored") {
        const scores = mine.publicScores ?? null;
        stdout.push(
          scores
            ? `public scores (the public share of the test images): ${describeScores(scores)}`
            : "scored; the phase publishes no public scores",
          JSON.stringify({ id: accepted.id, status, public: scores }),
        );
        return { stdout, stderr, exitCode: 0 };
      }
      if (status === "failed") {
        const reason = mine.failureReason ?? "no reason given";
        stdout.push(`scoring failed: ${reason}`, JSON.stringify({ id: accepted.id, status, failureReason: reason }));
        return { stdout, stderr, exitCode: 1 };
      }
    }
    if (Date.now() + wait > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(poll.max, Math.round(wait * 1.5));
  }
  stderr.push(
    `submission #${accepted.id} is still ${status} after ${timeoutSeconds} s; its scores will show on the phase's ` +
      `page (and at GET /api/v1/phases/${connection.phaseId}/submissions) once it is scored`,
  );
  stdout.push(JSON.stringify({ id: accepted.id, status, public: null }));
  return { stdout, stderr, exitCode: 1 };
}

/**
 * Downloads a phase's test images (GET /api/v1/phases/{id}/test-images/archive: a tar of test-images.csv and
 * images/<position>-<imageId>.jpg) into `<out>/phase-<id>-test-images.tar`, with a progress bar of bytes. It
 * is saved as is (`tar -xf` unpacks it); a download cut short leaves no file under that name.
 */
export async function downloadTestImages(flags: TestImagesFlags): Promise<ClientOutput> {
  const connection = connect(flags);
  await mkdir(flags.out, { recursive: true });
  const target = path.join(flags.out, `phase-${connection.phaseId}-test-images.tar`);
  const partial = `${target}.part`;
  const bar = progressBar("download");
  let received = 0;
  try {
    const response = await open(connection, "GET", `api/v1/phases/${connection.phaseId}/test-images/archive`);
    const total = Number(response.headers["content-length"] ?? 0);
    await pipeline(
      response,
      async function* count(source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          received += chunk.length;
          bar.update("bytes", received, Math.max(total, received));
          yield chunk;
        }
      },
      createWriteStream(partial),
    );
    if (total > 0 && received !== total)
      throw new Error(`the download stopped after ${received} of ${total} bytes; run the command again`);
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  } finally {
    bar.stop();
  }
  return {
    stdout: [
      `saved ${bytes(received)} to ${target}; unpack it with: tar -xf ${target} -C ${flags.out}`,
      JSON.stringify({ phaseId: connection.phaseId, file: target, bytes: received }),
    ],
    stderr: [],
    exitCode: 0,
  };
}

function connect(flags: ServerFlags): Connection {
  const server = flags.server ?? cliEnv().server;
  if (!server) throw new Error("give the server's address: --server https://arbor.example.org (or set ARBOR_SERVER)");
  let base: URL;
  try {
    base = new URL(server.endsWith("/") ? server : `${server}/`);
  } catch {
    throw new Error(`--server must be an http(s) URL, not ${JSON.stringify(server)}`);
  }
  if (base.protocol !== "http:" && base.protocol !== "https:")
    throw new Error(`--server must be an http(s) URL, not ${JSON.stringify(server)}`);
  const token = flags.token ?? cliEnv().token;
  if (!token)
    throw new Error("give an API token: --token <token> (create one on your account page) or set ARBOR_TOKEN");
  if (!/^\d+$/.test(flags.phase.trim()) || Number(flags.phase) < 1)
    throw new Error(`--phase must be a phase id (a whole number), not ${JSON.stringify(flags.phase)}`);
  return { base, token, phaseId: Number(flags.phase) };
}

function submissionFormat(file: string, text: string, flag: string | undefined): SubmissionFormat {
  if (flag !== undefined) {
    if (!SUBMISSION_FORMATS.includes(flag as SubmissionFormat))
      throw new Error(`--format must be one of ${SUBMISSION_FORMATS.join(", ")}, not ${flag}`);
    return flag as SubmissionFormat;
  }
  const guessed = detectSubmissionFormat(text);
  if (!guessed)
    throw new Error(`${file}: cannot tell the submission's format; pass --format ${SUBMISSION_FORMATS.join("|")}`);
  return guessed;
}

/** This submission in the team's list, or null when the server does not list it (yet). */
async function lookUp(connection: Connection, id: number) {
  let text: string;
  try {
    text = await send(connection, "GET", `api/v1/phases/${connection.phaseId}/submissions`);
  } catch (error) {
    // A refusal (4xx) will not change by asking again; a server restarting (5xx, no answer) may.
    if (error instanceof ServerRefusal && error.status < 500) throw error;
    return null;
  }
  return parseAnswer(mySubmissionsSchema, text, "the submissions list").submissions.find((s) => s.id === id) ?? null;
}

/** The server said no: its message (`{"error": {"message"}}`) and status. */
export class ServerRefusal extends Error {
  override readonly name = "ServerRefusal";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface Upload {
  bytes: Buffer;
  type: string;
  onProgress?: (sent: number) => void;
}

/** One request; the answer's text on 2xx, a ServerRefusal otherwise. */
async function send(connection: Connection, method: string, target: string, upload?: Upload): Promise<string> {
  const response = await open(connection, method, target, upload);
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Sends a request (the body in 64 KB pieces, reporting progress) and resolves with a 2xx response. */
function open(connection: Connection, method: string, target: string, upload?: Upload): Promise<IncomingMessage> {
  const url = new URL(target, connection.base);
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { authorization: `Bearer ${connection.token}` };
    if (upload) {
      headers["content-type"] = upload.type;
      headers["content-length"] = upload.bytes.length;
    }
    const req = request(url, { method, headers }, (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) return resolve(response);
      refusal(response).then(reject, reject);
    });
    let answered = false;
    req.on("response", () => {
      answered = true;
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      // Once the answer is in, a write cut short by the server (it refused without reading) is no news.
      if (answered) return;
      reject(new Error(`cannot reach ${connection.base.origin}: ${error.code ?? error.message}`));
    });
    if (!upload) return req.end();
    const piece = 64 * 1024;
    let sent = 0;
    const write = () => {
      while (sent < upload.bytes.length) {
        const next = upload.bytes.subarray(sent, sent + piece);
        sent += next.length;
        const more = req.write(next);
        upload.onProgress?.(sent);
        if (!more) return void req.once("drain", write);
      }
      req.end();
    };
    write();
  });
}

/** The error a refused answer stands for: the API's message, its status, and when to retry (429). */
async function refusal(response: IncomingMessage): Promise<ServerRefusal> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const status = response.statusCode ?? 0;
  let message = `the server answered HTTP ${status}`;
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { error?: { message?: unknown } };
    if (typeof body.error?.message === "string" && body.error.message.trim() !== "") message = body.error.message;
  } catch {
    // Not the API's JSON (a proxy's page): the status says what there is to say.
  }
  const retryAfter = Number(response.headers["retry-after"]);
  const hints = [`HTTP ${status}`];
  if (status === 429 && retryAfter > 0) hints.push(`retry after ${retryAfter} s`);
  if (status === 401) hints.push("check --token or ARBOR_TOKEN: an API token from your account page");
  return new ServerRefusal(status, `${message} (${hints.join("; ")})`);
}

function parseAnswer<T>(schema: z.ZodType<T>, text: string, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${what} is not JSON: is --server an Arbor server?`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new Error(`${what} is not what this version of arbor expects: ${parsed.error.message}`);
  return parsed.data;
}

function describeScores(s: Scores): string {
  const f = (x: number | null) => (x === null ? "n/a" : x.toFixed(4));
  return `top-1 error ${f(s.top1)}  top-5 error ${f(s.top5)}  hierarchical (2010) ${f(s.hier2010)}  (2011) ${f(s.hier2011)}`;
}

function bytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function positiveNumber(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`${what} must be a positive number of seconds, not ${JSON.stringify(value)}`);
  return n;
}

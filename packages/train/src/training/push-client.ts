import { z } from "zod";
import type { EpochMetrics } from "./metrics-log.ts";

/**
 * Client of the platform's model-upload API:
 *   POST /api/v1/models                    JSON {name, architecture, datasetVersionId?, metrics, curve, classes, parent?} → 201 {id}
 *   POST /api/v1/models/{id}/predictions   NDJSON lines {sha256, wnid, score}, ≤ 5000 per request → 200 {accepted, unknownImages}
 * The server treats prediction batches idempotently, so a batch is simply re-sent on 5xx or network errors.
 */
export const MAX_LINES_PER_REQUEST = 5000;

export interface PredictionLine {
  sha256: string;
  wnid: string;
  score: number;
}

export interface ModelUpload {
  name: string;
  architecture: string;
  datasetVersionId?: string;
  metrics: Record<string, unknown>;
  curve: EpochMetrics[];
  classes: string[];
  /** The model it was fine-tuned from (`train --init`): the registry id when known here, else name + weights hash. */
  parent?: { id?: string; name: string; sha256?: string };
}

const createdSchema = z.object({ id: z.string().min(1) });
const acceptedSchema = z.object({
  accepted: z.number().int().nonnegative(),
  unknownImages: z.number().int().nonnegative(),
});

export interface PushOptions {
  baseUrl: string;
  token: string;
  retries?: number;
  /** First backoff delay; doubles per retry. */
  backoffMs?: number;
  fetchImpl?: typeof fetch;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function request(
  opts: PushOptions,
  path: string,
  body: string | Uint8Array<ArrayBuffer>,
  contentType: string,
  expect: number,
  method: "POST" | "PUT" = "POST",
): Promise<unknown> {
  const doFetch = opts.fetchImpl ?? fetch;
  const retries = opts.retries ?? 5;
  let delay = opts.backoffMs ?? 500;
  const url = new URL(path, opts.baseUrl.endsWith("/") ? opts.baseUrl : `${opts.baseUrl}/`).toString();
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await doFetch(url, {
        method,
        headers: { authorization: `Bearer ${opts.token}`, "content-type": contentType },
        body,
      });
      const text = await res.text();
      if (res.status === expect) return JSON.parse(text);
      throw new HttpError(res.status, `${method} ${path}: HTTP ${res.status}: ${text.slice(0, 300)}`);
    } catch (err) {
      // 4xx will not get better by retrying (bad token, bad payload); 5xx and network errors may.
      const retriable = !(err instanceof HttpError) || err.status >= 500;
      if (!retriable || attempt >= retries) throw err;
      await new Promise((r) => setTimeout(r, delay));
      delay *= 2;
    }
  }
}

export async function createModel(opts: PushOptions, upload: ModelUpload): Promise<string> {
  return createdSchema.parse(await request(opts, "api/v1/models", JSON.stringify(upload), "application/json", 201)).id;
}

export async function pushPredictions(
  opts: PushOptions,
  modelId: string,
  lines: AsyncIterable<PredictionLine> | Iterable<PredictionLine>,
  onBatch?: (sent: number) => void,
): Promise<{ accepted: number; unknownImages: number }> {
  const total = { accepted: 0, unknownImages: 0 };
  let batch: string[] = [];
  let sent = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const body = `${batch.join("\n")}\n`;
    const res = acceptedSchema.parse(
      await request(
        opts,
        `api/v1/models/${encodeURIComponent(modelId)}/predictions`,
        body,
        "application/x-ndjson",
        200,
      ),
    );
    total.accepted += res.accepted;
    total.unknownImages += res.unknownImages;
    sent += batch.length;
    batch = [];
    onBatch?.(sent);
  };
  for await (const line of lines) {
    batch.push(JSON.stringify({ sha256: line.sha256, wnid: line.wnid, score: line.score }));
    if (batch.length >= MAX_LINES_PER_REQUEST) await flush();
  }
  await flush();
  return total;
}

/** Uploads a model's files (the checkpoint: model.json, weights, config, classes) to the model's artifacts. */
export async function uploadArtifacts(
  opts: PushOptions,
  modelId: string,
  files: ReadonlyArray<{ name: string; bytes: Uint8Array<ArrayBuffer> }>,
): Promise<void> {
  for (const file of files) {
    await request(
      opts,
      `api/v1/models/${encodeURIComponent(modelId)}/artifacts/${encodeURIComponent(file.name)}`,
      file.bytes,
      "application/octet-stream",
      201,
      "PUT",
    );
  }
}

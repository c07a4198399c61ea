import { readFile } from "node:fs/promises";
import { parseUrlList } from "@arbor/core";
import { type IngestSource, ItemReadError, type SourceItem } from "./ingest-source.ts";

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = { timeoutMs: 15_000, maxBytes: 50 * 1024 * 1024 };

/** The images named in a CSV/TSV of `url,wnid` lines, fetched over HTTP(S) with a timeout and a size cap. */
export async function urlListSource(
  csvPath: string,
  limits: FetchLimits = DEFAULT_FETCH_LIMITS,
): Promise<IngestSource> {
  const text = await readFile(csvPath, "utf8").catch((error: Error) => {
    throw new Error(`cannot read ${csvPath}: ${error.message}`);
  });
  const entries = parseUrlList(text);
  return {
    count: async () => entries.length,
    async *items(): AsyncIterable<SourceItem> {
      for (const entry of entries) {
        if ("problem" in entry) {
          yield {
            locator: `${csvPath}:${entry.line}`,
            label: { problem: `line ${entry.line}: ${entry.problem}` },
            read: async () => Buffer.alloc(0), // never called: the item is skipped for its label
          };
        } else {
          yield {
            locator: entry.url,
            label: { wnid: entry.wnid },
            read: (maxBytes) => fetchBytes(entry.url, { ...limits, maxBytes: Math.min(maxBytes, limits.maxBytes) }),
          };
        }
      }
    },
  };
}

/** GET with a deadline, reading at most maxBytes (a server may lie about or omit Content-Length). */
export async function fetchBytes(url: string, limits: FetchLimits): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(limits.timeoutMs), redirect: "follow" });
  } catch (error) {
    const timedOut = (error as Error).name === "TimeoutError";
    throw new ItemReadError(
      "fetch-failed",
      timedOut ? `timed out after ${limits.timeoutMs} ms` : `fetch failed: ${(error as Error).message}`,
    );
  }
  if (!response.ok) throw new ItemReadError("fetch-failed", `HTTP ${response.status} ${response.statusText}`.trim());
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > limits.maxBytes) {
    await response.body?.cancel();
    throw new ItemReadError("too-large", `${declared} bytes is over the ${limits.maxBytes}-byte limit`);
  }
  const chunks: Buffer[] = [];
  let received = 0;
  const reader = response.body?.getReader();
  try {
    for (let part = await reader?.read(); part && !part.done; part = await reader?.read()) {
      received += part.value.length;
      if (received > limits.maxBytes) {
        await reader?.cancel().catch(() => {});
        throw new ItemReadError("too-large", `over the ${limits.maxBytes}-byte limit`);
      }
      chunks.push(Buffer.from(part.value));
    }
  } catch (error) {
    if (error instanceof ItemReadError) throw error;
    const timedOut = (error as Error).name === "TimeoutError";
    throw new ItemReadError(
      "fetch-failed",
      timedOut ? `timed out after ${limits.timeoutMs} ms` : `download failed: ${(error as Error).message}`,
    );
  }
  return Buffer.concat(chunks);
}

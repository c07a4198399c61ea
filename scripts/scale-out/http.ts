/** A small HTTP client for the harness: JSON in and out, a bearer token, and latency per route and process. */

export interface Answer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export class Latencies {
  private readonly samples = new Map<string, number[]>();
  /** Requests per web process (its base URL), to show both served. */
  readonly perProcess = new Map<string, number>();
  errors5xx = 0;
  networkErrors = 0;

  add(route: string, base: string, ms: number, status: number): void {
    const list = this.samples.get(route) ?? [];
    list.push(ms);
    this.samples.set(route, list);
    this.perProcess.set(base, (this.perProcess.get(base) ?? 0) + 1);
    if (status >= 500) this.errors5xx++;
  }

  /** p50 and p99 in ms, and the count, per route. */
  summary(): Record<string, { count: number; p50: number; p99: number }> {
    const out: Record<string, { count: number; p50: number; p99: number }> = {};
    for (const [route, list] of this.samples) {
      const sorted = [...list].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
      out[route] = { count: sorted.length, p50: Math.round(at(0.5)), p99: Math.round(at(0.99)) };
    }
    return out;
  }
}

export class Api {
  constructor(
    readonly base: string,
    private readonly token: string,
    private readonly latencies?: Latencies,
  ) {}

  /** `route` names the request in the latency table (e.g. "GET tasks/next"). */
  async request<T = unknown>(method: string, path: string, body?: unknown, route?: string): Promise<Answer<T>> {
    const started = performance.now();
    let response: Response;
    try {
      response = await fetch(`${this.base}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      if (this.latencies) this.latencies.networkErrors++;
      throw new Error(`${method} ${this.base}/api/v1${path}: ${(error as Error).message}`);
    }
    const text = await response.text();
    if (route) this.latencies?.add(route, this.base, performance.now() - started, response.status);
    let parsed: unknown = text;
    if (text && response.headers.get("content-type")?.includes("json")) parsed = JSON.parse(text);
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  /** The request, which must answer `expected`; its JSON body. */
  async expect<T>(expected: number | number[], method: string, path: string, body?: unknown): Promise<T> {
    const answer = await this.request<T>(method, path, body);
    const statuses = Array.isArray(expected) ? expected : [expected];
    if (!statuses.includes(answer.status)) {
      throw new Error(
        `${method} ${path} on ${this.base}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 500)} (expected ${statuses.join(" or ")})`,
      );
    }
    return answer.body;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every `everyMs` until it returns a value (not undefined); throws after `timeoutMs`. */
export async function poll<T>(what: string, timeoutMs: number, everyMs: number, check: () => Promise<T | undefined>) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

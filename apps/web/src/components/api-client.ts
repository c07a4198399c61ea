/**
 * The browser's one way to call the Arbor API: typed request helpers over `fetch`, and one error extraction.
 *
 * Every failure arrives as an `ApiError` whose `message` a person can read: a refusal by the API (its body is
 * `{"error": {"status", "message", "detail"?}}`, and the message is shown as the API wrote it), an answer that
 * is not the API's JSON (a proxy's HTML 502, a body-size limit in front of the server), or no answer at all
 * (offline, the server down). A request cancelled through its `signal` still rejects with the `AbortError`.
 *
 * The type parameter is what the route's answer schema says (the zod-inferred types of `@arbor/usecases`,
 * imported with `import type` so no server code reaches the browser); it is not checked at run time. A route
 * that may answer 204 No Content resolves `undefined`, so its type says `| undefined`.
 */

/** What went wrong with a call to the API. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  /** The HTTP status; 0 when no answer came at all. */
  readonly status: number;
  /** Structure for the UI where the API gives it (e.g. the conflicts that refused a dataset definition). */
  readonly detail: unknown;

  constructor(status: number, message: string, detail?: unknown) {
    super(message);
    this.status = status;
    this.detail = detail;
  }
}

/** The API's error body. */
export interface ApiErrorBody {
  error: { status: number; message: string; detail?: unknown };
}

type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  /** Appended to the path; `null` and `undefined` values are left out. */
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
  cache?: RequestCache;
  /** Given the answer's headers when it succeeds (e.g. the reason a 204 No Content names in one). */
  onHeaders?: (headers: Headers) => void;
}

export function apiGet<T>(path: string, options?: RequestOptions): Promise<T> {
  return request<T>("GET", path, undefined, options);
}

/** POSTs `body` as JSON (or nothing when it is `undefined`). */
export function apiPost<T = unknown>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
  return request<T>("POST", path, body === undefined ? undefined : json(body), options);
}

export function apiPut<T = unknown>(path: string, body: unknown, options?: RequestOptions): Promise<T> {
  return request<T>("PUT", path, json(body), options);
}

export function apiPatch<T = unknown>(path: string, body: unknown, options?: RequestOptions): Promise<T> {
  return request<T>("PATCH", path, json(body), options);
}

/** POSTs `text` as it is (a file's content read in the browser), under `contentType`. */
export function apiPostText<T = unknown>(
  path: string,
  text: string,
  contentType = "text/plain; charset=utf-8",
  options?: RequestOptions,
): Promise<T> {
  return request<T>("POST", path, { body: text, headers: { "content-type": contentType } }, options);
}

export function apiDelete<T = unknown>(path: string, options?: RequestOptions): Promise<T> {
  return request<T>("DELETE", path, undefined, options);
}

/** POSTs a multipart form (files); the browser writes its content type with the boundary. */
export function apiUpload<T = unknown>(path: string, form: FormData, options?: RequestOptions): Promise<T> {
  return request<T>("POST", path, { body: form }, options);
}

/** A thrown value's message: an `ApiError`'s as the API wrote it, anything else's as it says. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `path?key=value…` with the values that are given. */
export function withQuery(path: string, query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== null && value !== undefined) params.set(key, String(value));
  const search = params.toString();
  return search === "" ? path : `${path}${path.includes("?") ? "&" : "?"}${search}`;
}

/** The one error extraction: the `ApiError` a response that is not ok stands for. Never throws. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => "");
  return errorFromBody(response.status, response.statusText, text);
}

/** As `errorFromResponse`, from the status and the body's text. */
export function errorFromBody(status: number, statusText: string, text: string): ApiError {
  const error = asRecord(asRecord(parseJson(text))?.error);
  if (typeof error?.message === "string" && error.message.trim() !== "") {
    return new ApiError(status, error.message, error.detail);
  }
  return new ApiError(status, describeStatus(status, statusText));
}

/** What a status means to someone using the app, for an answer that did not say more. */
export function describeStatus(status: number, statusText = ""): string {
  const http = `HTTP ${status}${statusText || STATUS_TEXT[status] ? ` ${statusText || STATUS_TEXT[status]}` : ""}`;
  if (status === 502 || status === 503 || status === 504) {
    return `the server is not answering (${http}); try again in a moment`;
  }
  if (status === 413) return `the request is too large for the server (${http})`;
  if (status === 401) return `sign in first (${http})`;
  if (status === 403) return `not allowed (${http})`;
  return `the server answered ${http}`;
}

export const NETWORK_FAILURE = "could not reach the server: check the connection and try again";

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Content Too Large",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

function json(body: unknown): { body: string; headers: Record<string, string> } {
  return { body: JSON.stringify(body), headers: { "content-type": "application/json" } };
}

async function request<T>(
  method: string,
  path: string,
  payload: { body: BodyInit; headers?: Record<string, string> } | undefined,
  options: RequestOptions = {},
): Promise<T> {
  // No answer at all (offline, the server down) is a network failure, unless the caller cancelled.
  const reach = <R>(promise: Promise<R>) =>
    promise.catch((error: unknown) => {
      throw options.signal?.aborted ? error : new ApiError(0, NETWORK_FAILURE);
    });
  const response = await reach(
    fetch(withQuery(path, options.query), {
      method,
      body: payload?.body,
      headers: payload?.headers,
      signal: options.signal,
      cache: options.cache,
    }),
  );
  if (!response.ok) throw await errorFromResponse(response);
  options.onHeaders?.(response.headers);
  const text = await reach(response.text());
  if (text === "") return undefined as T; // 204 No Content, or an empty 2xx
  const body = parseJson(text);
  if (body === NOT_JSON)
    throw new ApiError(response.status, `unexpected answer from the server (HTTP ${response.status}, not JSON)`);
  return body as T;
}

const NOT_JSON = Symbol("not JSON");

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

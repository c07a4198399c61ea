import { UseCaseError } from "@arbor/usecases";

/**
 * Every request body is read here, against a byte cap: the declared Content-Length is checked first, then the
 * bytes while they stream in, so an oversized body is refused without ever being held whole (a 100 MB body to
 * an anonymous route once grew the server by 330 MB).
 */
export function tooLarge(maxBytes: number): UseCaseError {
  return new UseCaseError("too-large", `the body is over the ${formatBytes(maxBytes)} limit`);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${Math.round(bytes / 1024 ** 3)} GB`;
  if (bytes >= 1024 ** 2) return `${Math.round(bytes / 1024 ** 2)} MB`;
  return `${Math.round(bytes / 1024)} KB`;
}

/** Refuses a body whose declared length is over the cap, before reading a byte of it. */
export function checkDeclaredLength(request: Request, maxBytes: number): void {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
}

/** The whole body as bytes, refused with `too-large` once it grows past `maxBytes`. */
export async function readBytes(request: Request, maxBytes: number): Promise<Buffer> {
  checkDeclaredLength(request, maxBytes);
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = cappedStream(request.body, maxBytes).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/** The body as a stream that errors with `too-large` past `maxBytes` (for uploads streamed to storage). */
export function cappedStream(body: ReadableStream<Uint8Array>, maxBytes: number): ReadableStream<Uint8Array> {
  let size = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > maxBytes) controller.error(tooLarge(maxBytes));
        else controller.enqueue(chunk);
      },
    }),
  );
}

export async function readText(request: Request, maxBytes: number): Promise<string> {
  return (await readBytes(request, maxBytes)).toString("utf8");
}

/**
 * No request needs more than a few levels; 5,000 levels of `{"a":` once overflowed the stack in validation
 * (a 500). Checked on the text before parsing, so a deep body costs one linear scan.
 */
export const MAX_JSON_DEPTH = 64;

export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const text = await readText(request, maxBytes);
  if (jsonDepth(text) > MAX_JSON_DEPTH) {
    throw new UseCaseError("invalid", `the JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UseCaseError("invalid", "expected a JSON body");
  }
}

/** The deepest nesting of arrays and objects in JSON text (brackets inside strings do not count). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/** A multipart or urlencoded form, read under the cap (the parser runs on the capped bytes). */
export async function readForm(request: Request, maxBytes: number): Promise<FormData> {
  const bytes = await readBytes(request, maxBytes);
  try {
    return await new Response(new Uint8Array(bytes), {
      headers: { "content-type": request.headers.get("content-type") ?? "" },
    }).formData();
  } catch {
    throw new UseCaseError("invalid", "expected multipart/form-data");
  }
}

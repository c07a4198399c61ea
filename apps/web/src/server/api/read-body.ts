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

export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const text = await readText(request, maxBytes);
  try {
    return JSON.parse(text);
  } catch {
    throw new UseCaseError("invalid", "expected a JSON body");
  }
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

import { createHash } from "node:crypto";
import { Readable } from "node:stream";

/** Small stream utilities for tests. */

export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

export function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
}

/** Streams `bytes` in `chunkSize` pieces, the way a network or file source would. */
export function chunkedStream(bytes: Buffer, chunkSize = 256 * 1024): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < bytes.length; offset += chunkSize) yield bytes.subarray(offset, offset + chunkSize);
    })(),
  );
}

/** Emits `bytesBeforeError` bytes, then fails, like a download that drops half-way. */
export function failingStream(bytesBeforeError: number, message: string, chunkSize = 256 * 1024): Readable {
  return Readable.from(
    (async function* () {
      for (let sent = 0; sent < bytesBeforeError; sent += chunkSize) {
        yield Buffer.alloc(Math.min(chunkSize, bytesBeforeError - sent), 7);
      }
      throw new Error(message);
    })(),
  );
}

/** A stream that sends `first`, then waits for `release()` before sending `rest`. */
export function pausedStream(
  first: Buffer,
  rest: Buffer,
): { stream: Readable; paused: Promise<void>; release(): void } {
  let release = () => {};
  let markPaused = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const paused = new Promise<void>((resolve) => {
    markPaused = resolve;
  });
  const stream = Readable.from(
    (async function* () {
      yield first;
      markPaused();
      await gate;
      yield rest;
    })(),
  );
  return { stream, paused, release };
}

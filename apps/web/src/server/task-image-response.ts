import { Readable } from "node:stream";
import type { TaskImage } from "@arbor/usecases";
import { content } from "./api/response-spec";

/** What the task image routes answer. */
export const taskImageResponses = (what: string) => ({
  200: content("image/*", `${what}: the thumbnail, for the task's annotator while the lease lives`),
  400: "a malformed task id or position",
  403: "someone else's task",
  404: "no such task, or no such position in it",
  409: "the task was answered or its lease ran out",
});

/**
 * Serves a task's thumbnail: cached privately until the lease ends (the URL names one task), and without the
 * image's ETag, which would let an annotator find the image's public page.
 */
export function taskImageResponse(image: TaskImage): Response {
  const seconds = Math.max(0, Math.floor((image.leaseExpiresAt.getTime() - Date.now()) / 1000));
  const headers = new Headers({
    "Content-Type": image.contentType,
    "Cache-Control": `private, max-age=${seconds}`,
    "X-Content-Type-Options": "nosniff",
  });
  if (image.bytes !== undefined) headers.set("Content-Length", String(image.bytes));
  return new Response(Readable.toWeb(image.stream) as ReadableStream, { headers });
}

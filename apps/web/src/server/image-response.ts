import { Readable } from "node:stream";
import { type ImageBlob, usecasesEnv } from "@arbor/usecases";
import { content, empty } from "./api/response-spec";

/** What the image byte routes answer (original and thumbnail). */
export const imageResponses = (what: string) => ({
  200: content("image/*", `${what}; content-addressed, so cached immutably (ETag, 304 on If-None-Match)`),
  304: empty("not modified: the If-None-Match ETag names these bytes"),
  400: "bad id",
  401: "ARBOR_PUBLIC_BROWSE is off: sign in first",
  404: "no such image",
});

/**
 * Serves an image's original or thumbnail. Blobs are content-addressed, so the response never changes:
 * browsers and CDNs may cache it forever, and a revalidation is answered 304 from the ETag alone.
 */
export function imageResponse(request: Request, blob: ImageBlob): Response {
  const headers = new Headers({
    "Content-Type": blob.contentType,
    // Shared caches may keep them only when anyone may see them (ARBOR_PUBLIC_BROWSE).
    "Cache-Control": `${usecasesEnv().publicBrowse ? "public" : "private"}, max-age=31536000, immutable`,
    ETag: blob.etag,
    "X-Content-Type-Options": "nosniff",
  });
  if (request.headers.get("if-none-match") === blob.etag) {
    blob.stream.destroy();
    return new Response(null, { status: 304, headers });
  }
  if (blob.bytes !== undefined) headers.set("Content-Length", String(blob.bytes));
  return new Response(Readable.toWeb(blob.stream) as ReadableStream, { headers });
}

import { Readable } from "node:stream";
import { getServices, openImageBlob } from "@arbor/usecases";
import { jsonError } from "./http";

/**
 * Serves an image's original or thumbnail. Blobs are content-addressed, so the response never changes:
 * browsers and CDNs may cache it forever, and a revalidation is answered 304 from the ETag alone.
 */
export async function imageResponse(
  request: Request,
  id: number,
  variant: "original" | "thumbnail",
): Promise<Response> {
  const blob = await openImageBlob(await getServices(), id, variant);
  if (!blob) return jsonError(404, `no image ${id}`);
  const headers = new Headers({
    "Content-Type": blob.contentType,
    "Cache-Control": "public, max-age=31536000, immutable",
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

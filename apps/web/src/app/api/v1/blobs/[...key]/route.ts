import { Readable } from "node:stream";
import { assertValidKey, BlobNotFoundError, InvalidBlobKeyError, LocalDiskStore } from "@arbor/storage";
import { getServices } from "@arbor/usecases";
import { HttpError, jsonError, route } from "@/server/http";

export const dynamic = "force-dynamic";

/**
 * Serves the local blob store's objects to presigned URLs (LocalDiskStore.presignedUrl): the `expires` and
 * `signature` query parameters are the authorisation, so the route itself is public. With blobs in S3,
 * presigned URLs point at S3 and this route does not exist (404).
 */
export const GET = route(
  "GET /api/v1/blobs/{key}",
  async (request: Request, { params }: { params: Promise<{ key: string[] }> }) => {
    const { blobs } = await getServices();
    if (!(blobs instanceof LocalDiskStore)) return jsonError(404, "blobs are not served here (they are in S3)");
    const key = (await params).key.join("/");
    try {
      assertValidKey(key);
    } catch (error) {
      if (error instanceof InvalidBlobKeyError) throw new HttpError(400, error.message);
      throw error;
    }
    const query = new URL(request.url).searchParams;
    const signed = blobs.verifySignature({
      method: "GET",
      key,
      expires: query.get("expires") ?? "",
      signature: query.get("signature") ?? "",
    });
    if (!signed) return jsonError(403, "the link's signature is invalid or has expired");
    const info = await blobs.head(key);
    if (!info) return jsonError(404, "no such object");
    let stream: Readable;
    try {
      stream = await blobs.getStream(key);
    } catch (error) {
      if (error instanceof BlobNotFoundError) return jsonError(404, "no such object");
      throw error;
    }
    return new Response(Readable.toWeb(stream) as ReadableStream, {
      headers: {
        "Content-Type": info.contentType ?? "application/octet-stream",
        // Set for correctness; Next 16's server currently drops it from streamed route responses (chunked).
        "Content-Length": String(info.bytes),
        "Content-Disposition": `inline; filename="${key.split("/").at(-1)}"`,
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  },
);

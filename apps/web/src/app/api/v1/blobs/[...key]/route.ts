import { Readable } from "node:stream";
import { openSignedBlob, signedBlobParams, signedBlobQuery } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { content } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

/**
 * Serves the blob store's objects to its presigned URLs when they point here (the local store's): the
 * `expires` and `signature` query parameters are the authorisation, so the route itself is public. With
 * blobs in S3, presigned URLs point at S3 and this route answers 404.
 */
export const GET = defineRoute({
  access: "public",
  summary: "An object of the local blob store, for presigned URLs (the signature authorises; 404 when blobs are in S3)",
  params: signedBlobParams,
  query: signedBlobQuery,
  responses: {
    200: content("application/octet-stream", "the bytes, with their content type and length"),
    400: "invalid key",
    403: "bad or expired signature",
    404: "no such object, or blobs are in S3",
  },
  handler: async ({ params, query, services }) => {
    const blob = await openSignedBlob(services, params.key, query);
    return new Response(Readable.toWeb(blob.stream) as ReadableStream, {
      headers: {
        "Content-Type": blob.contentType,
        // Set for correctness; Next 16's server currently drops it from streamed route responses (chunked).
        "Content-Length": String(blob.bytes),
        "Content-Disposition": `inline; filename="${blob.fileName}"`,
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  },
});

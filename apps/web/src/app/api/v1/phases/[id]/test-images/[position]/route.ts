import { Readable } from "node:stream";
import { openTestImage, testImageParams } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { content } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

/**
 * One test image, by its position in the phase. Cached privately, and without the image's ETag or any
 * digest: the same tag on the image's other pages would tell a participant which image (and label) it is.
 */
export const GET = defineRoute({
  access: "signed-in",
  summary: "One test image of a phase by its 1-based position (the stored original)",
  params: testImageParams,
  responses: {
    200: content("image/*", "the image"),
    403: "the caller neither takes part in the challenge nor hosts it, or was banned from it",
    404: "no such phase or position, or the host keeps its images elsewhere (a phase from an uploaded ground truth)",
  },
  handler: async ({ params, services, principal }) => {
    const image = await openTestImage(services, params.id, params.position, principal);
    const headers = new Headers({
      "Content-Type": image.contentType,
      "Cache-Control": "private, max-age=3600",
      "X-Content-Type-Options": "nosniff",
    });
    if (image.bytes !== undefined) headers.set("Content-Length", String(image.bytes));
    return new Response(Readable.toWeb(image.stream) as ReadableStream, { headers });
  },
});

import { idParams, openTestImageArchive } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { content } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: "signed-in",
  summary:
    "A phase's test images as one tar (streamed): test-images.csv (position,image_id), then images/<position, 6 digits>-<image id>.jpg in order",
  params: idParams("phase"),
  responses: {
    200: content("application/x-tar", "the archive"),
    403: "the caller neither takes part in the challenge nor hosts it, or was banned from it",
    404: "no such phase, or the host keeps its images elsewhere (a phase from an uploaded ground truth)",
  },
  handler: async ({ params, services, principal }) => {
    const archive = await openTestImageArchive(services, params.id, principal);
    return new Response(streamOf(archive), {
      headers: {
        "Content-Type": "application/x-tar",
        "Content-Disposition": `attachment; filename="phase-${params.id}-test-images.tar"`,
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  },
});

/** Pulls the archive as the client reads it, so only the image being sent is in memory. */
function streamOf(chunks: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

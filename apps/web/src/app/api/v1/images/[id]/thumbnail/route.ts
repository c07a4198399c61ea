import { idParams, openImageBlob } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { imageResponse, imageResponses } from "@/server/image-response";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: "public",
  summary: "WebP thumbnail (at most 256 px)",
  params: idParams("image"),
  responses: imageResponses("the thumbnail"),
  handler: async ({ request, params, services, principal }) =>
    imageResponse(request, await openImageBlob(services, params.id, "thumbnail", principal)),
});

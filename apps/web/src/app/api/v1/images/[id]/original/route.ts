import { idParams, openImageBlob } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { imageResponse, imageResponses } from "@/server/image-response";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: "public",
  summary: "The original bytes",
  params: idParams("image"),
  responses: imageResponses("the original"),
  handler: async ({ request, params, services, principal }) =>
    imageResponse(request, await openImageBlob(services, params.id, "original", principal)),
});

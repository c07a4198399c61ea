import { getImage, idParams, imageDetailSchema } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: "public",
  summary: "An image: metadata, sources, synset links with states, near-duplicates",
  params: idParams("image"),
  responses: { 200: ok(imageDetailSchema, "the image"), 400: "bad id", 404: "no such image" },
  handler: async ({ params, services }) => getImage(services.db, params.id),
});

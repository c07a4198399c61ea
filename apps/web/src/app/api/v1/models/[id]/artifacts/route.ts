import { idParams, listModelArtifacts, modelArtifactListSchema } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";
import { requestOrigin } from "@/server/request-origin";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: ["researcher", "admin"],
  summary: "A model's files in the blob store (weights, model.json, config), with download URLs valid for an hour",
  params: idParams("model"),
  responses: { 200: ok(modelArtifactListSchema, "the artifacts"), 400: "bad id", 404: "no such model" },
  // Links point at ARBOR_PUBLIC_URL, else at the origin this request came in on.
  handler: async ({ request, params, services }) => ({
    items: await listModelArtifacts(services, params.id, { origin: requestOrigin(request.headers, request.url) }),
  }),
});

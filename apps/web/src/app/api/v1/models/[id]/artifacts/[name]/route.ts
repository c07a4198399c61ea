import { artifactParams, artifactStoredSchema, MAX_ARTIFACT_BYTES, storeModelArtifact } from "@arbor/usecases";
import { streamBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

/** Uploads one file of a model (the body is the file's bytes, streamed into the blob store under the cap). */
export const PUT = defineRoute({
  access: ["researcher", "admin"],
  summary: "Upload one file of a model (the body is its bytes); a re-upload replaces it",
  params: artifactParams,
  body: streamBody("application/octet-stream", MAX_ARTIFACT_BYTES),
  responses: {
    201: ok(artifactStoredSchema, "stored"),
    400: "a bad id, a name that is not a single file name, or no body",
    403: "not the model's owner (who registered it) or an admin",
    404: "no such model",
    413: "over 2 GiB",
  },
  handler: async ({ params, body, services, principal }) =>
    storeModelArtifact(services, params.id, params.name, body, principal),
});

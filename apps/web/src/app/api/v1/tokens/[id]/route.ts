import { apiTokenSchema, idParams, revokeApiToken } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const DELETE = defineRoute({
  access: "signed-in",
  summary: "Revoke an API token for good: your own, or (admins) anyone's",
  params: idParams("token"),
  responses: {
    200: ok(apiTokenSchema, "the token, revoked (revoking it again changes nothing)"),
    404: "no such token of yours",
  },
  handler: async ({ params, services, principal }) => revokeApiToken(services.db, params.id, principal),
});

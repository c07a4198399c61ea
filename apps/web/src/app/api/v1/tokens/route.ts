import {
  apiTokenListQuery,
  apiTokenListSchema,
  createApiToken,
  createdApiTokenSchema,
  listApiTokens,
  newApiTokenSchema,
  UseCaseError,
} from "@arbor/usecases";
import { bearerTokenOf } from "@/server/api/authorize";
import { jsonBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: "signed-in",
  summary: "Your API tokens (admins: anyone's, with ?userId=), newest first, revoked and expired included",
  query: apiTokenListQuery,
  responses: {
    200: ok(apiTokenListSchema, "the tokens, without their secrets"),
    403: "only admins may see another user's tokens",
    404: "no such user",
  },
  handler: async ({ query, services, principal }) => ({
    items: await listApiTokens(services.db, { userId: query.userId, actor: principal }),
  }),
});

export const POST = defineRoute({
  access: "signed-in",
  summary: "Create an API token of your own; its secret is in this answer only",
  description:
    "From a signed-in browser session only: a bearer token cannot mint more tokens (a leaked one would " +
    "outlive its revocation). `arbor token create` makes them from the command line.",
  body: jsonBody(newApiTokenSchema),
  responses: {
    201: ok(createdApiTokenSchema, "the new token, with its secret shown once"),
    403: "sign in with a password to create tokens (not with a token)",
  },
  handler: async ({ request, body, services, principal }) => {
    if (bearerTokenOf(request)) {
      throw new UseCaseError(
        "forbidden",
        "a token cannot create tokens: sign in on /account, or run npx arbor token create",
      );
    }
    return createApiToken(services.db, { userId: principal.id }, body);
  },
});

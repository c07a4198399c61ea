import {
  banFromChallenge,
  banSchema,
  challengeBanSchema,
  challengeUnbannedSchema,
  idParams,
  unbanFromChallenge,
  unbanSchema,
} from "@arbor/usecases";
import { jsonBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  access: ["researcher", "admin"],
  summary:
    "Ban a user from a challenge, with the reason: they can no longer join or submit, and their team leaves the boards",
  params: idParams("challenge"),
  body: jsonBody(banSchema),
  responses: {
    200: ok(challengeBanSchema, "the ban (banning again replaces the reason)"),
    400: "no such user, or a reason missing or over 500 characters",
    403: "not the challenge's host",
    404: "no such challenge",
    409: "the user hosts the challenge",
  },
  handler: async ({ params, body, services, principal }) => banFromChallenge(services.db, params.id, body, principal),
});

export const DELETE = defineRoute({
  access: ["researcher", "admin"],
  summary: "Lift a user's ban from a challenge (?userId=)",
  params: idParams("challenge"),
  query: unbanSchema,
  responses: {
    200: ok(challengeUnbannedSchema, "the ban is lifted"),
    400: "bad or missing userId",
    403: "not the challenge's host",
    404: "no such challenge, or the user is not banned from it",
  },
  handler: async ({ params, query, services, principal }) =>
    unbanFromChallenge(services.db, params.id, query, principal),
});

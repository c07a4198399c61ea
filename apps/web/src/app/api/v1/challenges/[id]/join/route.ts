import { challengeMembershipSchema, idParams, joinChallenge, joinChallengeBodySchema } from "@arbor/usecases";
import { jsonBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

/** Joining again answers the membership held. */
export const POST = defineRoute({
  access: "signed-in",
  summary: "Join a challenge, accepting its rules: a new team of one (optionally named), or an existing team with room",
  params: idParams("challenge"),
  body: jsonBody(joinChallengeBodySchema),
  responses: {
    200: ok(challengeMembershipSchema, "the caller's team"),
    400: "the rules were not accepted, or invalid input",
    403: "the challenge takes no open sign-ups, or the caller was banned from it",
    404: "no such challenge, or no such team in it",
    409: "the challenge is closed, the team is full, or the team name is taken",
  },
  handler: async ({ params, body, services, principal }) =>
    joinChallenge(services.db, { ...body, challengeId: params.id }, principal),
});

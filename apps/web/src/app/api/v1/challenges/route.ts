import {
  challengeCreatedSchema,
  challengeListSchema,
  createChallenge,
  createChallengeSchema,
  listChallenges,
} from "@arbor/usecases";
import { jsonBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: "public",
  summary: "Every challenge, newest first, with its phases' dates (and whether the caller takes part or hosts it)",
  responses: { 200: ok(challengeListSchema, "the challenges") },
  handler: async ({ services, principal }) => ({ items: await listChallenges(services.db, principal) }),
});

export const POST = defineRoute({
  access: ["researcher", "admin"],
  summary: "Create a challenge, hosted by the caller (its phases are added next)",
  body: jsonBody(createChallengeSchema),
  responses: {
    201: ok(challengeCreatedSchema, "the challenge (Location: /api/v1/challenges/{id})", {
      Location: { description: "/api/v1/challenges/{id}" },
    }),
    400: "invalid input",
  },
  handler: async ({ body, services, principal }) => {
    const created = await createChallenge(services.db, body, principal);
    return Response.json(created, { status: 201, headers: { location: `/api/v1/challenges/${created.id}` } });
  },
});

import {
  challengeDetailSchema,
  challengeUpdatedSchema,
  getChallenge,
  idParams,
  updateChallenge,
  updateChallengeSchema,
} from "@arbor/usecases";
import { jsonBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: "public",
  summary:
    "A challenge: its rules, phases (quotas, test-set size, class count), published exports and the caller's team",
  params: idParams("challenge"),
  responses: { 200: ok(challengeDetailSchema, "the challenge"), 404: "no such challenge" },
  handler: async ({ params, services, principal }) => getChallenge(services.db, params.id, principal),
});

export const PATCH = defineRoute({
  access: ["researcher", "admin"],
  summary:
    "Change a challenge (its host): title, rules, sign-up, team size, status, and the dataset exports published to its participants",
  params: idParams("challenge"),
  body: jsonBody(updateChallengeSchema, { maxBytes: 1024 * 1024 }),
  responses: {
    200: ok(challengeUpdatedSchema, "the challenge"),
    400: "bad input, or no such export",
    403: "not the challenge's host, or an export carries labels withheld from the caller",
    404: "no such challenge",
    409: "a team is larger than the new limit, an export is unfinished, or it would give participants labels of a phase's test images",
  },
  handler: async ({ params, body, services, principal }) => updateChallenge(services.db, params.id, body, principal),
});

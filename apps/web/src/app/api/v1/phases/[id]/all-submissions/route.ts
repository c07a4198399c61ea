import { idParams, listPhaseSubmissions, phaseSubmissionsSchema } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: ["researcher", "admin"],
  summary:
    "Every submission to a phase, for its host: team, submitter (name, email), status, failure, public and private scores, flags",
  params: idParams("phase"),
  responses: {
    200: ok(phaseSubmissionsSchema, "the submissions, newest first"),
    403: "not the challenge's host",
    404: "no such phase",
  },
  handler: async ({ params, services, principal }) => listPhaseSubmissions(services.db, params.id, principal),
});

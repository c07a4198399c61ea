import {
  finalSubmissionsBodySchema,
  finalSubmissionsSelectedSchema,
  idParams,
  selectFinalSubmissions,
} from "@arbor/usecases";
import { jsonBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const PUT = defineRoute({
  access: "signed-in",
  summary:
    "Choose the team's final submissions (up to 2 scored ones) that decide its private ranking; an empty list: its two best public scores",
  params: idParams("phase"),
  body: jsonBody(finalSubmissionsBodySchema),
  responses: {
    200: ok(finalSubmissionsSelectedSchema, "the submissions now final"),
    400: "not the team's submissions to this phase, not scored, or more than 2",
    403: "the caller takes no part in the challenge",
    404: "no such phase",
    409: "the phase has ended: its finals are fixed",
  },
  handler: async ({ params, body, services, principal }) =>
    selectFinalSubmissions(services.db, { phaseId: params.id, submissionIds: body.submissionIds }, principal),
});

import { idParams, phaseUpdatedSchema, updatePhase, updatePhaseSchema } from "@arbor/usecases";
import { jsonBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const PATCH = defineRoute({
  access: ["researcher", "admin"],
  summary: 'Change a phase that has not ended (dates, quotas, board visibility); endsAt "now" ends it at once',
  params: idParams("phase"),
  body: jsonBody(updatePhaseSchema),
  responses: {
    200: ok(phaseUpdatedSchema, "the phase's dates and state"),
    400: "bad input, or an end in the past or before the start",
    403: "not the challenge's host",
    404: "no such phase",
    409: "the phase ended (only its post-challenge board can change), or its start is fixed",
  },
  handler: async ({ params, body, principal, services }) => updatePhase(services.db, params.id, body, principal),
});

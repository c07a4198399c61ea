import { idParams, overrideDecision, reviewDecisionSchema, reviewRecordedSchema } from "@arbor/usecases";
import { jsonBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

/** An admin settles an image of the campaign (usually an ambiguous one from the review queue). */
export const POST = defineRoute({
  access: ["admin"],
  summary: "Settle an image of the campaign as verified or rejected (admin override, e.g. from the review queue)",
  params: idParams("campaign"),
  body: jsonBody(reviewDecisionSchema),
  responses: {
    200: ok(reviewRecordedSchema, "done"),
    400: "invalid",
    404: "no such campaign, or the image is not in it",
  },
  handler: async ({ params, body, services }) => {
    await overrideDecision(services.db, params.id, body.imageId, body.decision);
    return { ok: true as const };
  },
});

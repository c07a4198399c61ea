import { idParams, imagePredictionListSchema, listImagePredictions } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

/** What each model says about an image: its top predictions, best first, newest model first. */
export const GET = defineRoute({
  access: "public",
  summary: "What each model says about the image: its top predictions, best first, newest model first",
  params: idParams("image"),
  responses: {
    200: ok(imagePredictionListSchema, "one entry per model with predictions for the image (none: empty)"),
    400: "bad id",
    401: "ARBOR_PUBLIC_BROWSE is off: sign in first",
    404: "no such image",
  },
  // Predictions are labels too: none for a restricted image (but to admins and its owner), none for annotators.
  handler: async ({ params, services, principal }) => ({
    items: await listImagePredictions(services.db, params.id, principal),
  }),
});

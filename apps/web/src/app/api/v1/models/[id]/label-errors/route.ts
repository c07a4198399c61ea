import { idParams, labelErrorsQuerySchema, likelyLabelErrorListSchema, listLikelyLabelErrors } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: ["admin"],
  summary:
    "Likely label errors among verified links (confident learning on the model's out-of-sample predictions), most likely first",
  params: idParams("model"),
  query: labelErrorsQuerySchema,
  responses: {
    200: ok(likelyLabelErrorListSchema, "verified links the model contradicts, with its alternative"),
    400: "a bad id, a limit out of range, or a wnid that is not one of the model's classes",
    404: "no such model",
  },
  handler: async ({ params, query, services }) => ({
    items: await listLikelyLabelErrors(services.db, { modelId: params.id, ...query }),
  }),
});

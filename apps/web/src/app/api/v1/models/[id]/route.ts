import { getModel, idParams, modelDetailSchema } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: ["researcher", "admin"],
  summary: "A model: metrics, training curve, classes, prediction count",
  params: idParams("model"),
  responses: { 200: ok(modelDetailSchema, "the model"), 400: "bad id", 404: "no such model" },
  handler: async ({ params, services }) => getModel(services.db, params.id),
});

import { datasetVersionDetailSchema, getDatasetVersion, idParams } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: ["researcher", "admin"],
  summary: "A version: definition, freeze report, images per class and split, leakage check, exports",
  params: idParams("dataset version"),
  responses: { 200: ok(datasetVersionDetailSchema, "the version"), 404: "no such version" },
  handler: async ({ params, services, principal }) => getDatasetVersion(services.db, params.id, principal),
});

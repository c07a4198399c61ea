import { exportSummarySchema, getExport, idParams } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: ["researcher", "admin"],
  summary: "An export's status, progress and location",
  params: idParams("export"),
  responses: { 200: ok(exportSummarySchema, "the export"), 404: "no such export" },
  handler: async ({ params, services }) => getExport(services.db, params.id),
});

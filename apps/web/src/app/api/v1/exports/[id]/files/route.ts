import { exportFilesSchema, idParams, listExportFiles } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

/** A finished export's files with download links valid for an hour (none for a server folder). */
export const GET = defineRoute({
  access: ["researcher", "admin"],
  summary: "A finished export's files with presigned download links (empty until it has succeeded)",
  params: idParams("export"),
  responses: { 200: ok(exportFilesSchema, "the files"), 404: "no such export" },
  handler: async ({ params, services }) => ({ items: await listExportFiles(services, params.id) }),
});

import { exportStartedSchema, idParams, startExport, startExportRequestSchema } from "@arbor/usecases";
import { jsonBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

/** Starts writing a version out in the background (202); the same unfinished export again is resumed. */
export const POST = defineRoute({
  access: ["researcher", "admin"],
  summary:
    "Export a version in the background (ImageFolder, JSONL or WebDataset); an unfinished identical export is resumed",
  params: idParams("dataset version"),
  body: jsonBody(startExportRequestSchema),
  responses: {
    202: ok(exportStartedSchema, "the export to watch"),
    400: "invalid options or destination",
    403: "only researcher or admin may do this; the destination is outside ARBOR_EXPORT_ROOTS; or the export would carry labels withheld from the caller (restricted images of a version they do not own)",
    404: "no such version",
  },
  handler: async ({ params, body, services, principal }) =>
    startExport(services, { versionId: params.id, request: body, actor: principal }),
});

import { exportFilesSchema, idParams, listExportFiles } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";
import { requestOrigin } from "@/server/request-origin";

export const dynamic = "force-dynamic";

/** A finished export's files with download links valid for an hour (none for a server folder). */
export const GET = defineRoute({
  access: ["researcher", "admin"],
  summary: "A finished export's files with presigned download links (empty until it has succeeded)",
  params: idParams("export"),
  responses: {
    200: ok(exportFilesSchema, "the files"),
    403: "the export carries labels withheld from the caller (only the restricting version's owner or an admin)",
    404: "no such export",
  },
  // Links point at ARBOR_PUBLIC_URL, else at the origin this request came in on.
  handler: async ({ request, params, services, principal }) => ({
    items: await listExportFiles(services, params.id, {
      origin: requestOrigin(request.headers, request.url),
      viewer: principal,
    }),
  }),
});

import { getServices, listExportFiles } from "@arbor/usecases";
import { jsonError, parseId, route } from "@/server/http";

export const dynamic = "force-dynamic";

/** A finished export's files with download links valid for an hour (none for a server folder). */
export const GET = route(
  "GET /api/v1/exports/{id}/files",
  async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const id = parseId((await params).id);
    const items = await listExportFiles(await getServices(), id);
    return items ? Response.json({ items }) : jsonError(404, `no export ${id}`);
  },
);

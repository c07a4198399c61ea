import { getExport, getServices } from "@arbor/usecases";
import { jsonError, parseId, route } from "@/server/http";

export const dynamic = "force-dynamic";

export const GET = route(
  "GET /api/v1/exports/{id}",
  async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const id = parseId((await params).id);
    const found = await getExport((await getServices()).db, id);
    return found ? Response.json(found) : jsonError(404, `no export ${id}`);
  },
);

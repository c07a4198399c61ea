import { getDatasetVersion, getServices } from "@arbor/usecases";
import { jsonError, parseId, route } from "@/server/http";

export const dynamic = "force-dynamic";

export const GET = route(
  "GET /api/v1/datasets/{id}",
  async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const id = parseId((await params).id);
    const version = await getDatasetVersion((await getServices()).db, id);
    return version ? Response.json(version) : jsonError(404, `no dataset version ${id}`);
  },
);

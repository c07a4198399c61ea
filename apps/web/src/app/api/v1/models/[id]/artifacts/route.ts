import { getServices, listModelArtifacts } from "@arbor/usecases";
import { jsonError, parseId, route } from "@/server/http";

export const dynamic = "force-dynamic";

export const GET = route(
  "GET /api/v1/models/{id}/artifacts",
  async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const id = parseId((await params).id);
    const { db, blobs } = await getServices();
    const items = await listModelArtifacts({ db, blobs }, id);
    return items ? Response.json({ items }) : jsonError(404, `no model ${id}`);
  },
);

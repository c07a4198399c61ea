import { getModel, getServices } from "@arbor/usecases";
import { jsonError, parseId, route } from "@/server/http";

export const dynamic = "force-dynamic";

export const GET = route(
  "GET /api/v1/models/{id}",
  async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const id = parseId((await params).id);
    const model = await getModel((await getServices()).db, id);
    return model ? Response.json(model) : jsonError(404, `no model ${id}`);
  },
);

import { getImage, getServices } from "@arbor/usecases";
import { jsonError, parseId, route } from "@/server/http";

export const dynamic = "force-dynamic";

export const GET = route(
  "GET /api/v1/images/{id}",
  async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const id = parseId((await params).id);
    const image = await getImage((await getServices()).db, id);
    return image ? Response.json(image) : jsonError(404, `no image ${id}`);
  },
);

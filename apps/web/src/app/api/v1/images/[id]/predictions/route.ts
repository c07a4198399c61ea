import { getServices, listImagePredictions } from "@arbor/usecases";
import { jsonError, parseId, route } from "@/server/http";

export const dynamic = "force-dynamic";

/** What each model says about an image: its top predictions, best first, newest model first. */
export const GET = route(
  "GET /api/v1/images/{id}/predictions",
  async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const id = parseId((await params).id);
    const { db } = await getServices();
    if (!(await db.image.findUnique({ where: { id }, select: { id: true } }))) return jsonError(404, `no image ${id}`);
    return Response.json({ items: await listImagePredictions(db, id) });
  },
);

import { diffDatasetVersions, getServices } from "@arbor/usecases";
import { HttpError, jsonError, parseId, route } from "@/server/http";

export const dynamic = "force-dynamic";

/** What changed from version `against` to version `{id}`: classes, images, and images that moved. */
export const GET = route(
  "GET /api/v1/datasets/{id}/diff",
  async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const id = parseId((await params).id);
    const against = new URL(request.url).searchParams.get("against");
    if (against === null) throw new HttpError(400, "against: the version to compare with is required");
    const diff = await diffDatasetVersions((await getServices()).db, parseId(against), id);
    return diff ? Response.json(diff) : jsonError(404, `no dataset version ${id} or ${against}`);
  },
);

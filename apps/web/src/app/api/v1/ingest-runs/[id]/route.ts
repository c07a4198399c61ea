import { getIngestRun, getServices } from "@arbor/usecases";
import { jsonError, parseId, route } from "@/server/http";

export const dynamic = "force-dynamic";

export const GET = route(
  "GET /api/v1/ingest-runs/{id}",
  async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const id = parseId((await params).id);
    const run = await getIngestRun((await getServices()).db, id);
    return run ? Response.json(run) : jsonError(404, `no ingest run ${id}`);
  },
);

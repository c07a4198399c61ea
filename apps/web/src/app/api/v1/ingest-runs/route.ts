import { ForbiddenPathError, getServices, ingestOptionsSchema, listIngestRuns, startWebIngest } from "@arbor/usecases";
import { HttpError, jsonError, parseOr400, route } from "@/server/http";

export const dynamic = "force-dynamic";

export const GET = route("GET /api/v1/ingest-runs", async () =>
  Response.json({ items: await listIngestRuns((await getServices()).db) }),
);

/** Starts an ingest from a server folder, a URL list or S3; returns at once (202) with the run to watch. */
export const POST = route("POST /api/v1/ingest-runs", async (request: Request) => {
  const body = await request.json().catch(() => {
    throw new HttpError(400, "expected a JSON body");
  });
  const options = parseOr400(ingestOptionsSchema, body);
  if (options.kind === "upload") return jsonError(400, "upload files to /api/v1/synsets/{wnid}/uploads");
  try {
    const run = await startWebIngest(await getServices(), options);
    return Response.json({ runId: run.id }, { status: 202 });
  } catch (error) {
    if (error instanceof ForbiddenPathError) return jsonError(403, error.message);
    throw error;
  }
});

import { type CreateModelInput, createModel, getServices, listModels } from "@arbor/usecases";
import { orDatasetError } from "@/server/datasets";
import { HttpError, readJson, route } from "@/server/http";
import { MAX_MODEL_BODY_BYTES } from "@/server/models";

export const dynamic = "force-dynamic";

export const GET = route("GET /api/v1/models", async () =>
  Response.json({ items: await listModels((await getServices()).db) }),
);

/**
 * Registers a trained model (the training package's `predict --push` calls this first). The id comes back
 * as a string, as that client expects; every route accepts it in the URL.
 */
export const POST = route("POST /api/v1/models", async (request: Request, _context: unknown, principal) => {
  const input = await readJson(request, MAX_MODEL_BODY_BYTES);
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new HttpError(400, "expected a JSON object");
  }
  const { db } = await getServices();
  const { id } = await orDatasetError(() => createModel(db, input as CreateModelInput, principal?.id ?? null));
  return Response.json({ id: String(id) }, { status: 201, headers: { location: `/api/v1/models/${id}` } });
});

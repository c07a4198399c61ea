import { getServices, recordPredictions } from "@arbor/usecases";
import { orDatasetError } from "@/server/datasets";
import { HttpError, jsonError, parseId, readText, route } from "@/server/http";
import { MAX_MODEL_BODY_BYTES } from "@/server/models";

export const dynamic = "force-dynamic";

/**
 * A batch of a model's predictions as JSON lines (`application/x-ndjson`; the body is read as lines whatever
 * the declared type, except a form). Idempotent: a batch sent again overwrites the same scores.
 */
export const POST = route(
  "POST /api/v1/models/{id}/predictions",
  async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const id = parseId((await params).id);
    const type = request.headers.get("content-type") ?? "";
    if (/^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(type)) {
      throw new HttpError(415, "send predictions as JSON lines (Content-Type: application/x-ndjson)");
    }
    const text = await readText(request, MAX_MODEL_BODY_BYTES);
    const { db } = await getServices();
    const result = await orDatasetError(() => recordPredictions(db, id, text));
    return result ? Response.json(result) : jsonError(404, `no model ${id}`);
  },
);

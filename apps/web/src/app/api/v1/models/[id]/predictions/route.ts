import {
  idParams,
  MAX_MODEL_BODY_BYTES,
  MAX_PREDICTION_LINES,
  predictionLineSchema,
  predictionsRecordedSchema,
  recordPredictions,
} from "@arbor/usecases";
import { textBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

/**
 * A batch of a model's predictions as JSON lines (`application/x-ndjson`; the body is read as lines whatever
 * the declared type, except a form). Idempotent: a batch sent again overwrites the same scores.
 */
export const POST = defineRoute({
  access: ["researcher", "admin"],
  summary: `Record a batch of the model's predictions (at most ${MAX_PREDICTION_LINES} lines); idempotent: a line sent again overwrites its score`,
  params: idParams("model"),
  body: textBody(
    "application/x-ndjson",
    MAX_MODEL_BODY_BYTES,
    "JSON lines (NDJSON), one PredictionLine per line: the image by imageId or sha256, a wnid and a score in [0, 1]. Unknown images and wnids are counted, not fatal; a malformed line rejects the whole batch.",
    predictionLineSchema,
  ),
  responses: {
    200: ok(predictionsRecordedSchema, "the batch is stored"),
    400: "a bad id, a malformed line (named by its number), or too many lines",
    403: "not the model's owner (who registered it) or an admin",
    404: "no such model",
    413: "body over 8 MB",
    415: "a form instead of JSON lines",
  },
  handler: async ({ params, body, services, principal }) => recordPredictions(services.db, params.id, body, principal),
});

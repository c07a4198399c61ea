import {
  createModel,
  createModelSchema,
  listModels,
  MAX_MODEL_BODY_BYTES,
  modelCreatedSchema,
  modelListSchema,
} from "@arbor/usecases";
import { jsonBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: ["researcher", "admin"],
  summary: "Registered models, newest first",
  responses: { 200: ok(modelListSchema, "the models, with their metrics and prediction counts") },
  handler: async ({ services }) => ({ items: await listModels(services.db) }),
});

/**
 * Registers a trained model (the training package's `predict --push` calls this first). The id comes back
 * as a string, as that client expects; every route accepts it in the URL.
 */
export const POST = defineRoute({
  access: ["researcher", "admin"],
  summary:
    "Register a trained model: architecture, the dataset version it was trained on, final metrics, the training curve (one row per epoch, as in the trainer's metrics.jsonl) and its classes in output order",
  body: jsonBody(createModelSchema, {
    maxBytes: MAX_MODEL_BODY_BYTES,
    description: "datasetVersionId may also be sent as a string of digits",
  }),
  responses: {
    201: ok(modelCreatedSchema, "the model (Location: /api/v1/models/{id})", {
      Location: { description: "/api/v1/models/{id}" },
    }),
    400: "invalid input, or no such dataset version",
    413: "body over 8 MB",
  },
  handler: async ({ body, principal, services }) => {
    const { id } = await createModel(services.db, body, principal.id);
    return Response.json({ id: String(id) }, { status: 201, headers: { location: `/api/v1/models/${id}` } });
  },
});

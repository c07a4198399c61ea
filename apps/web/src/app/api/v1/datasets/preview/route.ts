import { datasetDefinitionSchema } from "@arbor/core";
import { classPreviewSchema, DATASET_DEFINITION_MAX_BYTES, previewClassSet } from "@arbor/usecases";
import { jsonBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

/** The classes a definition would freeze, with available counts and conflicts; writes nothing. */
export const POST = defineRoute({
  access: ["researcher", "admin"],
  summary: "The classes a definition would freeze, with available images and ancestor/descendant conflicts",
  body: jsonBody(datasetDefinitionSchema, { maxBytes: DATASET_DEFINITION_MAX_BYTES }),
  responses: {
    200: ok(classPreviewSchema, "the class set (nothing is written)"),
    400: "malformed definition",
    422: "unknown wnids",
  },
  handler: async ({ body, services, principal }) => previewClassSet(services.db, body, principal),
});

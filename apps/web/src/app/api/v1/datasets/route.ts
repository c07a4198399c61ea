import { datasetDefinitionSchema } from "@arbor/core";
import {
  createDatasetVersion,
  DATASET_DEFINITION_MAX_BYTES,
  datasetVersionCreatedSchema,
  datasetVersionListSchema,
  listDatasetVersions,
} from "@arbor/usecases";
import { jsonBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: ["researcher", "admin"],
  summary: "Dataset versions, newest first",
  responses: { 200: ok(datasetVersionListSchema, "every version of every dataset") },
  handler: async ({ services }) => ({ items: await listDatasetVersions(services.db) }),
});

/** Freezes a definition into the next version of its dataset (named by the definition). */
export const POST = defineRoute({
  access: ["researcher", "admin"],
  summary: "Freeze a definition into the next immutable version of its dataset (classes, images, train/val/test)",
  body: jsonBody(datasetDefinitionSchema, { maxBytes: DATASET_DEFINITION_MAX_BYTES }),
  responses: {
    201: ok(datasetVersionCreatedSchema, "the new version and its freeze report"),
    400: "malformed definition",
    403: "the dataset of that name belongs to someone else (only its owner or an admin adds versions)",
    422: "cannot be frozen as asked: unknown wnids, unresolved conflicts (detail.conflicts), no images",
  },
  handler: async ({ body, services, principal }) => {
    const { id, ...version } = await createDatasetVersion(services.db, body, principal);
    return { versionId: id, ...version };
  },
});

import { datasetDefinitionSchema } from "@arbor/core";
import {
  DATASET_DEFINITION_MAX_BYTES,
  datasetVersionCreatedSchema,
  datasetVersionListSchema,
  freezeDatasetVersion,
  freezeRunSchema,
  freezeWaitQuerySchema,
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

/**
 * Freezes a definition into the next version of its dataset (named by the definition), as a job: 1.28 M
 * images take tens of seconds, too long to hold a request. 202 with the run to poll; with `?wait=<s>`, the
 * request waits that long for the run to end and answers 201 with the version (or the refusal) when it did.
 */
export const POST = defineRoute({
  access: ["researcher", "admin"],
  summary:
    "Freeze a definition into the next immutable version of its dataset (classes, images, train/val/test), as a job",
  query: freezeWaitQuerySchema,
  body: jsonBody(datasetDefinitionSchema, { maxBytes: DATASET_DEFINITION_MAX_BYTES }),
  responses: {
    201: ok(datasetVersionCreatedSchema, "frozen within `wait` seconds: the new version and its freeze report"),
    202: ok(freezeRunSchema, "queued or freezing: the run, to poll at the Location header (/api/v1/freeze-runs/{id})", {
      location: { description: "the run: /api/v1/freeze-runs/{id}" },
    }),
    400: "malformed definition or wait",
    403: "the dataset of that name belongs to someone else (only its owner or an admin adds versions)",
    422: "ended within `wait` and cannot be frozen as asked: unknown wnids, unresolved conflicts (detail.conflicts), no images",
  },
  handler: async ({ body, query, services, principal }) => {
    const outcome = await freezeDatasetVersion(services, body, principal, query.wait * 1000);
    if (outcome.done) {
      const { version } = outcome;
      return Response.json(version, { status: 201, headers: { location: `/api/v1/datasets/${version.versionId}` } });
    }
    return Response.json(outcome.run, { status: 202, headers: { location: `/api/v1/freeze-runs/${outcome.run.id}` } });
  },
});

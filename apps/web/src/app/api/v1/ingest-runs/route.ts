import {
  ingestOptionsSchema,
  ingestRunListSchema,
  listIngestRuns,
  runStartedSchema,
  startWebIngest,
} from "@arbor/usecases";
import { jsonBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: ["admin"],
  summary: "Recent ingest runs",
  responses: { 200: ok(ingestRunListSchema, "runs, newest first") },
  handler: async ({ services }) => ({ items: await listIngestRuns(services.db) }),
});

/** Starts an ingest from a server folder, a URL list or S3; returns at once (202) with the run to watch. */
export const POST = defineRoute({
  access: ["admin"],
  summary: "Start an ingest from a server folder, a URL list or S3 (paths must lie inside ARBOR_INGEST_ROOTS)",
  body: jsonBody(ingestOptionsSchema),
  responses: {
    202: ok(runStartedSchema, "the queued run"),
    400: "invalid options",
    403: "not an admin, or a path outside the ingest roots",
  },
  handler: async ({ body, services }) => startWebIngest(services, body),
});

import { getIngestRun, idParams, ingestRunSchema } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: ["admin"],
  summary: "A run's progress, counts and skip report",
  params: idParams("ingest run"),
  responses: { 200: ok(ingestRunSchema, "the run"), 400: "bad id", 404: "no such run" },
  handler: async ({ params, services }) => getIngestRun(services.db, params.id),
});

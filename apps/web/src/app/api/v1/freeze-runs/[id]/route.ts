import { freezeRunSchema, getFreezeRun, idParams } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: ["researcher", "admin"],
  summary: "A freeze run's progress (phase, classes done of total) and its outcome: the version, or why not",
  params: idParams("freeze run"),
  responses: { 200: ok(freezeRunSchema, "the run"), 400: "bad id", 404: "no such run" },
  handler: async ({ params, services }) => getFreezeRun(services.db, params.id),
});

import { candidateRunSchema, getCandidateRun, idParams } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: ["admin"],
  summary: "A candidate run's progress: synsets done of total, candidate links proposed, and its outcome",
  params: idParams("candidate run"),
  responses: { 200: ok(candidateRunSchema, "the run"), 400: "bad id", 404: "no such run" },
  handler: async ({ params, services }) => getCandidateRun(services.db, params.id),
});

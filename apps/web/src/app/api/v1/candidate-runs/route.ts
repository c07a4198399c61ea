import {
  candidateRunListSchema,
  listCandidateRuns,
  runStartedSchema,
  startCandidateRun,
  startCandidateRunSchema,
} from "@arbor/usecases";
import { jsonBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: ["admin"],
  summary: "Recent candidate runs (a model proposing candidate links), with their progress",
  responses: { 200: ok(candidateRunListSchema, "runs, newest first") },
  handler: async ({ services }) => ({ items: await listCandidateRuns(services.db) }),
});

/** Queues a run; returns at once (202) with the run to watch. */
export const POST = defineRoute({
  access: ["admin"],
  summary:
    "Propose candidate links for a synset (or every synset below it) from a model's predictions: by minimum score, top-k, or both",
  body: jsonBody(startCandidateRunSchema),
  responses: {
    202: ok(runStartedSchema, "the queued run"),
    400: "invalid input: no such model or synset, no threshold, or one out of range",
    403: "not an admin",
    422: "the model has no prediction for the synset or any synset below it",
  },
  handler: async ({ body, services, principal }) => startCandidateRun(services, body, principal),
});

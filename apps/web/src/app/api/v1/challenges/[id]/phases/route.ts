import {
  addPhase,
  addPhaseRequestSchema,
  idParams,
  MAX_CHALLENGE_REQUEST_BYTES,
  phaseAddedSchema,
} from "@arbor/usecases";
import { jsonBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  access: ["researcher", "admin"],
  summary:
    "Add a phase to a challenge with its ground truth: a dataset version's split (restricted and reserved) or an uploaded devkit/CSV file, with an optional class list and is-a hierarchy",
  params: idParams("challenge"),
  body: jsonBody(addPhaseRequestSchema, {
    maxBytes: MAX_CHALLENGE_REQUEST_BYTES,
    description: "the phase; files (truth, class list, is-a edges) as text fields",
  }),
  responses: {
    201: ok(phaseAddedSchema, "the phase"),
    400: "bad input: a malformed file (each problem named by its line), or a phase of that name already",
    403: "not the challenge's host, or not the owner of the dataset version",
    404: "no such challenge or dataset version",
    413: `the body is over ${MAX_CHALLENGE_REQUEST_BYTES / 1024 / 1024} MB`,
    422: "the version's split is empty, or the class list lacks some of its classes",
  },
  handler: async ({ params, body, services, principal }) =>
    addPhase(services.db, { ...body, challengeId: params.id }, principal),
});

import {
  idParams,
  MAX_CHALLENGE_REQUEST_BYTES,
  reviseTruth,
  reviseTruthSchema,
  truthRevisedSchema,
} from "@arbor/usecases";
import { jsonBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const PUT = defineRoute({
  access: ["researcher", "admin"],
  summary:
    "Revise a phase's ground truth (the same images and classes, corrected labels; also after the end): every scored submission is scored again",
  params: idParams("phase"),
  body: jsonBody(reviseTruthSchema, { maxBytes: MAX_CHALLENGE_REQUEST_BYTES }),
  responses: {
    200: ok(truthRevisedSchema, "the new revision and the submissions queued for scoring"),
    400: "a malformed file, another format than the phase's, or other images or classes than the current revision's",
    403: "not the challenge's host",
    404: "no such phase",
    409: "revised by someone else meanwhile",
    413: `the body is over ${MAX_CHALLENGE_REQUEST_BYTES / 1024 / 1024} MB`,
  },
  handler: async ({ params, body, services, principal }) => reviseTruth(services, params.id, body, principal),
});

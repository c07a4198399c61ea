import {
  baselineRegisteredSchema,
  idParams,
  MAX_CHALLENGE_REQUEST_BYTES,
  registerBaseline,
  registerBaselineSchema,
} from "@arbor/usecases";
import { jsonBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  access: ["researcher", "admin"],
  summary:
    "Register a registry model's predictions as a baseline: scored like a submission, shown on the boards, never ranked",
  params: idParams("phase"),
  body: jsonBody(registerBaselineSchema, { maxBytes: MAX_CHALLENGE_REQUEST_BYTES }),
  responses: {
    201: ok(baselineRegisteredSchema, "accepted (queued for scoring), or the same file registered before"),
    400: "a malformed file (each problem named by its line), or no such model",
    403: "not the challenge's host",
    404: "no such phase",
    409: "a participant's team has the baseline's name",
    413: `the body is over ${MAX_CHALLENGE_REQUEST_BYTES / 1024 / 1024} MB`,
  },
  handler: async ({ params, body, services, principal }) => registerBaseline(services, params.id, body, principal),
});

import { flagSubmission, flagSubmissionSchema, idParams, submissionFlaggedSchema } from "@arbor/usecases";
import { jsonBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const PUT = defineRoute({
  access: ["researcher", "admin"],
  summary: "Flag a submission with a reason (it leaves the boards), or clear the flag with a null reason",
  params: idParams("submission"),
  body: jsonBody(flagSubmissionSchema),
  responses: {
    200: ok(submissionFlaggedSchema, "the submission's flag"),
    400: "a reason missing, empty or over 500 characters",
    403: "not the challenge's host",
    404: "no such submission",
  },
  handler: async ({ params, body, services, principal }) => flagSubmission(services.db, params.id, body, principal),
});

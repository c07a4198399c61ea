import { getSubmissionBreakdown, idParams, submissionBreakdownSchema } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: ["researcher", "admin"],
  summary: "A submission's per-class error and its most frequent confusions (the challenge's host only)",
  description: "Never for participants: per-class errors of two files that differ in one image give its class away.",
  params: idParams("submission"),
  responses: {
    200: ok(submissionBreakdownSchema, "per class and confusions, against the current ground truth"),
    403: "not the challenge's host",
    404: "no such submission",
    409: "a refused file: it has no scores",
  },
  handler: async ({ params, services, principal }) => getSubmissionBreakdown(services, params.id, principal),
});

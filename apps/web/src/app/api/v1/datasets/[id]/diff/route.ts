import { datasetDiffSchema, diffDatasetVersions, idParams, idSchema } from "@arbor/usecases";
import { z } from "zod";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

/** What changed from version `against` to version `{id}`: classes, images, and images that moved. */
export const GET = defineRoute({
  access: ["researcher", "admin"],
  summary: "What changed from version `against` to this one: classes, images added, removed and moved",
  params: idParams("dataset version"),
  query: z.object({
    against: idSchema("dataset version").meta({
      description: "the version to compare with (usually an earlier one of the same dataset)",
    }),
  }),
  responses: {
    200: ok(datasetDiffSchema, "the differences"),
    400: "missing or bad against",
    404: "no such version",
  },
  // Images restricted for the caller are counted, never listed (their sha256 with a class and split is a label).
  handler: async ({ params, query, services, principal }) =>
    diffDatasetVersions(services.db, query.against, params.id, principal),
});

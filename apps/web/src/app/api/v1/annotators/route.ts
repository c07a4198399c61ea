import { annotatorListSchema, listAnnotators } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: ["admin"],
  summary: "Annotators: votes, gold accuracy, agreement with consensus, speed",
  responses: { 200: ok(annotatorListSchema, "the table") },
  handler: async ({ services }) => ({ items: await listAnnotators(services.db) }),
});

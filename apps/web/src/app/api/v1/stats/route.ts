import { getStats, statsSchema } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: "public",
  summary: "Counts of synsets, edges and images",
  responses: { 200: ok(statsSchema, "totals") },
  handler: async ({ services }) => getStats(services.db),
});

import { campaignStatsSchema, getCampaign, idParams } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: ["admin"],
  summary:
    "A campaign's progress: where it stands (state: blocked, with the fix, seeding, labelling…), its annotator " +
    "pool against what the policy needs, items per decision, votes, throughput, confidence table, and its " +
    "model: calibration curve, auto-accept and audit, votes saved against the no-model estimate, anchoring",
  params: idParams("campaign"),
  responses: { 200: ok(campaignStatsSchema, "the campaign"), 400: "bad id", 404: "no such campaign" },
  handler: async ({ params, services }) => getCampaign(services.db, params.id),
});

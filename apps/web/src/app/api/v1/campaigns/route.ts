import {
  campaignListSchema,
  campaignsCreatedSchema,
  createCampaignSchema,
  createCampaigns,
  listCampaigns,
} from "@arbor/usecases";
import { jsonBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: ["admin"],
  summary: "Labelling campaigns, newest first",
  responses: { 200: ok(campaignListSchema, "campaigns") },
  handler: async ({ services }) => ({ items: await listCampaigns(services.db) }),
});

export const POST = defineRoute({
  access: ["admin"],
  summary:
    "Start labelling a synset's candidates (or, with subtree, every synset below it that has some), optionally " +
    "with a model whose calibrated predictions give each image a prior, an ordering, auto-accept with audit",
  body: jsonBody(createCampaignSchema),
  responses: {
    201: ok(campaignsCreatedSchema, "the campaigns created"),
    400: "invalid input, no such synset, no such model, or a model with no class at or below the synset",
    422: "no synset under it has candidate images",
  },
  handler: async ({ body, services }) => createCampaigns(services.db, body),
});

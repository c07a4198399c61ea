import { listSynsetChildren, synsetChildrenSchema, wnidParams } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: "public",
  summary: "The children of a synset with their counts (for lazy tree expansion)",
  params: wnidParams,
  responses: { 200: ok(synsetChildrenSchema, "the children"), 400: "malformed wnid", 404: "no such synset" },
  handler: async ({ params, services }) => listSynsetChildren(services.db, params.wnid),
});

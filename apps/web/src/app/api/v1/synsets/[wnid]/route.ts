import { getSynset, synsetDetailSchema, wnidParams } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: "public",
  summary: "A synset with parents, children, paths to the root and image counts",
  params: wnidParams,
  responses: { 200: ok(synsetDetailSchema, "the synset"), 400: "malformed wnid", 404: "no such synset" },
  handler: async ({ params, services }) => getSynset(services.db, params.wnid),
});

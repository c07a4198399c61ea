import { searchSynsets, synsetSearchQuerySchema, synsetSearchResultSchema } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: "public",
  summary: "Search synsets by wnid, lemma (exact, then prefix) or gloss words",
  query: synsetSearchQuerySchema,
  responses: { 200: ok(synsetSearchResultSchema, "ranked matches"), 400: "missing or invalid q/limit" },
  handler: async ({ query, services }) => searchSynsets(services.db, query),
});

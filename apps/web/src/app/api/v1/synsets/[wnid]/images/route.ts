import { listSynsetImages, synsetImagesQuerySchema, synsetImagesSchema, wnidParams } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: "public",
  summary: "A page of a synset's images, newest first (keyset pagination)",
  params: wnidParams,
  query: synsetImagesQuerySchema,
  responses: { 200: ok(synsetImagesSchema, "a page"), 400: "bad query", 404: "no such synset" },
  handler: async ({ params, query, services }) => listSynsetImages(services.db, params.wnid, query),
});

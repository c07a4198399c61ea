import { listSynsetImages, synsetImagesQuerySchema, synsetImagesSchema, wnidParams } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: "public",
  summary: "A page of a synset's images, newest first (keyset pagination)",
  description:
    "Images restricted for the caller (in a split whose labels are withheld) are not listed; annotators get no " +
    "link states and may not filter by them. With ARBOR_PUBLIC_BROWSE off, sign in first.",
  params: wnidParams,
  query: synsetImagesQuerySchema,
  responses: {
    200: ok(synsetImagesSchema, "a page"),
    400: "bad query",
    401: "ARBOR_PUBLIC_BROWSE is off: sign in first",
    403: "an annotator filtering by link state",
    404: "no such synset",
  },
  handler: async ({ params, query, services, principal }) =>
    listSynsetImages(services.db, params.wnid, query, principal),
});

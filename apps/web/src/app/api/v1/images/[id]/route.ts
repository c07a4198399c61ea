import { getImage, idParams, imageDetailSchema } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: "public",
  summary: "An image: metadata, sources, synset links with states, near-duplicates",
  description:
    "As far as the caller may see it: a restricted image (in a split whose labels are withheld) shows no link " +
    "states, sha256, sources or near-duplicates but to admins and the restricting version's owner; annotators " +
    "see no link states; source locators are for admins. With ARBOR_PUBLIC_BROWSE off, sign in first.",
  params: idParams("image"),
  responses: {
    200: ok(imageDetailSchema, "the image"),
    400: "bad id",
    401: "ARBOR_PUBLIC_BROWSE is off: sign in first",
    404: "no such image",
  },
  handler: async ({ params, services, principal }) => getImage(services.db, params.id, principal),
});

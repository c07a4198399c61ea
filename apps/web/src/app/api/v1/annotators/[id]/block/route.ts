import { annotatorBlockedSchema, blockAnnotatorSchema, idParams, setAnnotatorBlocked } from "@arbor/usecases";
import { jsonBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

/** Blocks or unblocks an annotator: `{"blocked": true}` signs them out and discounts their votes. */
export const POST = defineRoute({
  access: ["admin"],
  summary: "Block or unblock an annotator (blocked: signed out, votes discounted)",
  params: idParams("user"),
  body: jsonBody(blockAnnotatorSchema),
  responses: { 200: ok(annotatorBlockedSchema, "done"), 400: "invalid", 404: "no such user" },
  handler: async ({ params, body, services }) => {
    await setAnnotatorBlocked(services.db, params.id, body.blocked);
    return { ok: true as const };
  },
});

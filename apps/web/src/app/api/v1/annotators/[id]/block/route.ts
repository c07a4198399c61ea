import { annotatorBlockedSchema, blockAnnotatorSchema, idParams, setAnnotatorBlocked } from "@arbor/usecases";
import { jsonBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

/**
 * Blocks or unblocks an annotator: `{"blocked": true}` signs them out, revokes their API tokens for good and
 * discounts their votes. An admin may not block themself, and nobody the last unblocked admin.
 */
export const POST = defineRoute({
  access: ["admin"],
  summary: "Block or unblock an annotator (blocked: signed out, tokens revoked, votes discounted)",
  params: idParams("user"),
  body: jsonBody(blockAnnotatorSchema),
  responses: {
    200: ok(annotatorBlockedSchema, "done"),
    400: "invalid",
    403: "you cannot block yourself",
    404: "no such user",
    409: "the last unblocked admin cannot be blocked",
  },
  handler: async ({ params, body, services, principal }) => {
    await setAnnotatorBlocked(services.db, params.id, body.blocked, principal.id);
    return { ok: true as const };
  },
});

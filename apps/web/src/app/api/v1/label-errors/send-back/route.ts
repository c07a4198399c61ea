import { sendBackForVotes, sendBackForVotesSchema, sentBackForVotesSchema } from "@arbor/usecases";
import { jsonBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

/** An admin doubts a verified link (e.g. a likely label error): it is a candidate again, waiting for votes. */
export const POST = defineRoute({
  access: ["admin"],
  summary:
    "Send a verified link back for votes: a candidate again, first in line in the synset's active campaign (if it has one)",
  body: jsonBody(sendBackForVotesSchema),
  responses: {
    200: ok(sentBackForVotesSchema, "the link is a candidate again"),
    400: "invalid input, or no such synset",
    403: "not an admin",
    404: "no such image, or it has no link to the synset",
    409: "the link is not verified",
  },
  handler: async ({ body, services, principal }) => sendBackForVotes(services.db, body, principal),
});

import { getScoreHistory, idParams, scoreHistorySchema } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: "public",
  summary: "A phase's public scores over time, for the leaderboard's plot (empty while a hidden-until-end board runs)",
  params: idParams("phase"),
  responses: { 200: ok(scoreHistorySchema, "the scored submissions, oldest first"), 404: "no such phase" },
  handler: async ({ params, services }) => getScoreHistory(services.db, params.id),
});

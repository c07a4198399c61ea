import { getLeaderboard, idParams, leaderboardCsv, leaderboardQuerySchema, leaderboardSchema } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: "public",
  summary:
    "A phase's leaderboard: the final board (public scores while running, private after) or the post-challenge one",
  description:
    "What is shown is decided by the phase: nothing while a hidden-until-end board runs, no private score before the end, " +
    "no flagged submission or banned user's team; baselines are listed without a rank. ?format=csv answers text/csv " +
    "(rank,team,submission_id,submitted_at,top1,top5,hier2010,hier2011,baseline).",
  params: idParams("phase"),
  query: leaderboardQuerySchema,
  responses: {
    200: ok(leaderboardSchema, "the board (?format=csv: the entries as text/csv)"),
    400: "bad board or format",
    404: "no such phase",
  },
  handler: async ({ params, query, services }) => {
    const board = await getLeaderboard(services.db, params.id, { board: query.board });
    if (query.format === "json") return board;
    return new Response(leaderboardCsv(board), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="phase-${params.id}-${query.board}-leaderboard.csv"`,
        "Cache-Control": "no-cache",
      },
    });
  },
});

import { getPhaseClassList, idParams } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { content } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: "public",
  summary:
    "A phase's class list as the devkit's map_clsloc.txt (`wnid index name` per line; index 1-based, what devkit submissions' numbers mean)",
  params: idParams("phase"),
  responses: {
    200: content("text/plain", "the class list"),
    404: "no such phase, or it publishes no class list (its submissions name wnids)",
  },
  handler: async ({ params, services, principal }) =>
    new Response(await getPhaseClassList(services.db, params.id, principal), {
      headers: {
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Disposition": `inline; filename="phase-${params.id}-classes.txt"`,
        "X-Content-Type-Options": "nosniff",
      },
    }),
});

import { idParams, phaseReleasedSchema, releasePhase } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  access: ["researcher", "admin"],
  summary: "Release an ended phase's test images for other dataset versions and exports (their labels stay restricted)",
  params: idParams("phase"),
  responses: {
    200: ok(phaseReleasedSchema, "released (releasing again answers the first release)"),
    403: "not the challenge's host",
    404: "no such phase",
    409: "the phase has not ended",
  },
  handler: async ({ params, services, principal }) => releasePhase(services.db, params.id, principal),
});

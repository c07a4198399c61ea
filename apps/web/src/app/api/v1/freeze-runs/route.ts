import { freezeRunListSchema, listActiveFreezeRuns } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: ["researcher", "admin"],
  summary: "Freeze runs queued or running, oldest first",
  responses: { 200: ok(freezeRunListSchema, "the runs not finished yet") },
  handler: async ({ services }) => ({ items: await listActiveFreezeRuns(services.db) }),
});

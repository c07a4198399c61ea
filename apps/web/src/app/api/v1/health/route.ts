import { z } from "zod";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: "public",
  summary: "Liveness",
  responses: { 200: ok(z.object({ ok: z.literal(true) }), "the server is up") },
  handler: async () => ({ ok: true as const }),
});

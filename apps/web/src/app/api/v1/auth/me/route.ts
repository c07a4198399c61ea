import { currentUserSchema } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: "signed-in",
  summary: "Who is calling",
  responses: { 200: ok(currentUserSchema, "the user"), 401: "not signed in" },
  handler: async ({ principal }) => ({ user: principal }),
});

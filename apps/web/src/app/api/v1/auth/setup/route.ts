import { createFirstAdmin, currentUserSchema, firstAdminSchema, signIn } from "@arbor/usecases";
import { jsonBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";
import { setSessionCookie } from "@/server/session-cookie";

export const dynamic = "force-dynamic";

/** First run only: creates the first admin (while no user exists) and signs them in. */
export const POST = defineRoute({
  access: "public",
  summary: "First run only: create the first admin while no user exists, and sign in",
  body: jsonBody(firstAdminSchema),
  responses: { 201: ok(currentUserSchema, "the first admin, signed in"), 400: "invalid", 409: "users exist already" },
  handler: async ({ request, body, services }) => {
    const admin = await createFirstAdmin(services.db, body);
    const session = await signIn(services.db, body);
    await setSessionCookie(request, session.token, session.expiresAt);
    return { user: admin };
  },
});

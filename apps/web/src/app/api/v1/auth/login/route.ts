import { credentialsSchema, currentUserSchema, signIn } from "@arbor/usecases";
import { jsonBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";
import { setSessionCookie } from "@/server/session-cookie";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  access: "public",
  summary: "Sign in with email and password; sets the httpOnly session cookie",
  body: jsonBody(credentialsSchema),
  responses: { 200: ok(currentUserSchema, "signed in"), 400: "malformed body", 401: "wrong email or password" },
  handler: async ({ request, body, services }) => {
    const session = await signIn(services.db, body);
    await setSessionCookie(request, session.token, session.expiresAt);
    return { user: session.user };
  },
});

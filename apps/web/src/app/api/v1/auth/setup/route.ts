import { clientAddress, createFirstAdmin, currentUserSchema, firstAdminSchema, signIn } from "@arbor/usecases";
import { jsonBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";
import { setSessionCookie } from "@/server/session-cookie";

export const dynamic = "force-dynamic";

/** First run only: creates the first admin (while no user exists) and signs them in. */
export const POST = defineRoute({
  access: "public",
  summary: "First run only: create the first admin while no user exists, and sign in",
  description:
    "The password must be at least 10 characters and hard to guess (zxcvbn score ≥ 3, not built from the " +
    "email or name); the 400 says why. Refused from another site (Origin) and for a body that is not JSON.",
  body: jsonBody(firstAdminSchema),
  responses: {
    201: ok(currentUserSchema, "the first admin, signed in"),
    400: "invalid (a weak password names why)",
    403: "cross-site request refused",
    409: "users exist already",
    415: "the body must be application/json",
    429: "the server is busy: see Retry-After",
  },
  handler: async ({ request, body, services }) => {
    const admin = await createFirstAdmin(services.db, body);
    const session = await signIn(services.db, body, { address: clientAddress(request.headers.get("x-forwarded-for")) });
    await setSessionCookie(request, session.token, session.expiresAt);
    return { user: admin };
  },
});

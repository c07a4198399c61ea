import { clientAddress, credentialsSchema, currentUserSchema, signIn } from "@arbor/usecases";
import { jsonBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";
import { setSessionCookie } from "@/server/session-cookie";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  access: "public",
  summary: "Sign in with email and password; sets the httpOnly session cookie",
  description:
    "Throttled per email and per address: past a few failures, an attempt that comes too early is refused " +
    "with 429 and Retry-After (also when the server is busy checking passwords). Refused from another site " +
    "(Origin) and for a body that is not application/json.",
  body: jsonBody(credentialsSchema),
  responses: {
    200: ok(currentUserSchema, "signed in"),
    400: "malformed body",
    401: "wrong email or password",
    403: "cross-site request refused",
    415: "the body must be application/json",
    429: "too many failed sign-ins, or the server is busy: see Retry-After",
  },
  handler: async ({ request, body, services }) => {
    const address = clientAddress(request.headers.get("x-forwarded-for"));
    const session = await signIn(services.db, body, { address });
    await setSessionCookie(request, session.token, session.expiresAt);
    return { user: session.user };
  },
});

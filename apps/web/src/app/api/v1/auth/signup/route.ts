import { clientAddress, currentUserSchema, signUp, signUpSchema } from "@arbor/usecases";
import { jsonBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";
import { setSessionCookie } from "@/server/session-cookie";

export const dynamic = "force-dynamic";

/** Open sign-up: anyone creates a participant account (challenges) and is signed in. */
export const POST = defineRoute({
  access: "public",
  summary: "Create a participant account (to take part in challenges) and sign in; sets the session cookie",
  description:
    "The account gets the participant role only. Refused with 403 while the server's open sign-up is off " +
    "(ARBOR_OPEN_SIGNUP). Limited per address (429 with Retry-After; every attempt counts). The password must " +
    "be at least 10 characters and hard to guess (the 400 says why). Refused from another site (Origin) and " +
    "for a body that is not application/json.",
  body: jsonBody(signUpSchema),
  responses: {
    201: ok(currentUserSchema, "the new participant, signed in"),
    400: "invalid (a weak password names why)",
    403: "open sign-up is off, or a cross-site request",
    409: "cannot create an account with this email",
    415: "the body must be application/json",
    429: "too many sign-ups from this address, or the server is busy: see Retry-After",
  },
  handler: async ({ request, body, services }) => {
    const address = clientAddress(request.headers.get("x-forwarded-for"));
    const session = await signUp(services.db, body, { address });
    await setSessionCookie(request, session.token, session.expiresAt);
    return { user: session.user };
  },
});

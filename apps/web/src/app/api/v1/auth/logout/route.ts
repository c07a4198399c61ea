import { signedOutSchema, signOut } from "@arbor/usecases";
import { cookies } from "next/headers";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";
import { SESSION_COOKIE } from "@/server/auth";
import { clearSessionCookie } from "@/server/session-cookie";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  access: "public",
  summary: "Sign out (ends the session)",
  responses: {
    200: ok(signedOutSchema, "signed out"),
    403: "cross-site request refused",
    415: "a body, if any, must be application/json",
  },
  handler: async ({ services }) => {
    const token = (await cookies()).get(SESSION_COOKIE)?.value;
    if (token) await signOut(services.db, token);
    await clearSessionCookie();
    return { ok: true as const };
  },
});

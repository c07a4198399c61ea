import { getDb } from "@arbor/db";
import { signOut } from "@arbor/usecases";
import { cookies } from "next/headers";
import { SESSION_COOKIE } from "@/server/auth";
import { route } from "@/server/http";
import { clearSessionCookie } from "@/server/session-cookie";

export const dynamic = "force-dynamic";

export const POST = route("POST /api/v1/auth/logout", async () => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (token) await signOut(await getDb(), token);
  await clearSessionCookie();
  return Response.json({ ok: true });
});

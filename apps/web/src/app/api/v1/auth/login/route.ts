import { getDb } from "@arbor/db";
import { credentialsSchema, signIn } from "@arbor/usecases";
import { HttpError, jsonError, parseOr400, route } from "@/server/http";
import { setSessionCookie } from "@/server/session-cookie";

export const dynamic = "force-dynamic";

export const POST = route("POST /api/v1/auth/login", async (request: Request) => {
  const body = parseOr400(
    credentialsSchema,
    await request.json().catch(() => {
      throw new HttpError(400, "expected a JSON body with email and password");
    }),
  );
  const session = await signIn(await getDb(), body);
  if (!session) return jsonError(401, "wrong email or password");
  await setSessionCookie(request, session.token, session.expiresAt);
  return Response.json({ user: session.user });
});

import { getDb } from "@arbor/db";
import { createFirstAdmin, newUserSchema, signIn } from "@arbor/usecases";
import { HttpError, jsonError, parseOr400, route } from "@/server/http";
import { setSessionCookie } from "@/server/session-cookie";

export const dynamic = "force-dynamic";

const setupSchema = newUserSchema.omit({ roles: true });

/** First run only: creates the first admin (while no user exists) and signs them in. */
export const POST = route("POST /api/v1/auth/setup", async (request: Request) => {
  const body = parseOr400(
    setupSchema,
    await request.json().catch(() => {
      throw new HttpError(400, "expected a JSON body with email and password");
    }),
  );
  const db = await getDb();
  const admin = await createFirstAdmin(db, body);
  if (!admin) return jsonError(409, "Arbor already has users: sign in, or ask an admin (npx arbor user create)");
  const session = await signIn(db, body);
  if (session) await setSessionCookie(request, session.token, session.expiresAt);
  return Response.json({ user: admin }, { status: 201 });
});

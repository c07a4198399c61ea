import type { Db } from "@arbor/db";
import { notFound, parseInput, UseCaseError } from "../errors.ts";
import { verifyPassword } from "./password.ts";
import { hashToken, newSecretToken } from "./secret-token.ts";
import { credentialsSchema, type Principal } from "./user-schemas.ts";

export const SESSION_DAYS = 14;

/** A hash to compare against when the email is unknown, so both failures take the same time. */
const DUMMY_HASH = `scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$${"A".repeat(86)}`;

/**
 * Checks credentials and opens a session: the token goes in the cookie, its hash in the database. An unknown
 * email, a wrong password and a blocked user are one `unauthenticated` answer, so it reveals no accounts.
 */
export async function signIn(db: Db, input: unknown): Promise<{ token: string; expiresAt: Date; user: Principal }> {
  const { email, password } = parseInput(credentialsSchema, input);
  const user = await db.user.findUnique({ where: { email } });
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || user.blocked) throw new UseCaseError("unauthenticated", "wrong email or password");
  const { token, hash } = newSecretToken("as");
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 24 * 3600 * 1000);
  await db.session.create({ data: { id: hash, userId: user.id, expiresAt } });
  return { token, expiresAt, user: { id: user.id, email: user.email, name: user.name, roles: user.roles } };
}

export async function signOut(db: Db, sessionToken: string): Promise<void> {
  await db.session.deleteMany({ where: { id: hashToken(sessionToken) } });
}

/** Who a session cookie or bearer token belongs to; null when unknown, expired, revoked or blocked. */
export async function authenticate(
  db: Db,
  credentials: { sessionToken?: string; bearerToken?: string },
): Promise<Principal | null> {
  const select = { id: true, email: true, name: true, roles: true, blocked: true } as const;
  let user: { id: number; email: string; name: string | null; roles: Principal["roles"]; blocked: boolean } | null =
    null;
  if (credentials.bearerToken) {
    const token = await db.apiToken.findUnique({
      where: { tokenHash: hashToken(credentials.bearerToken) },
      select: { id: true, revokedAt: true, lastUsedAt: true, user: { select } },
    });
    if (token && !token.revokedAt) {
      user = token.user;
      // "Last used" to the minute is enough, and saves a write on nearly every API call.
      if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > 60_000) {
        await db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date() } });
      }
    }
  } else if (credentials.sessionToken) {
    const session = await db.session.findUnique({
      where: { id: hashToken(credentials.sessionToken) },
      select: { expiresAt: true, user: { select } },
    });
    if (session && session.expiresAt > new Date()) user = session.user;
  }
  if (!user || user.blocked) return null;
  return { id: user.id, email: user.email, name: user.name, roles: user.roles };
}

/** A new API token for a user, returned once in plain text. */
export async function createApiToken(db: Db, email: string, name = "cli"): Promise<string> {
  const user = await db.user.findUnique({ where: { email: email.toLowerCase() }, select: { id: true } });
  if (!user) throw notFound(`no user with the email ${email}`);
  const { token, hash } = newSecretToken("at");
  await db.apiToken.create({ data: { userId: user.id, name, tokenHash: hash } });
  return token;
}

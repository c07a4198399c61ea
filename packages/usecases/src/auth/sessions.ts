import type { Db } from "@arbor/db";
import { parseInput, UseCaseError } from "../errors.ts";
import { recordLoginSuccess, releaseLoginAttempt, reserveLoginAttempt } from "./login-throttle.ts";
import { DUMMY_HASH, verifyPassword } from "./password.ts";
import { hashToken, newSecretToken } from "./secret-token.ts";
import { credentialsSchema, type Principal } from "./user-schemas.ts";

export const SESSION_DAYS = 14;

export interface SignInContext {
  /** The caller's address (`clientAddress()` of the request), for the per-address throttle. */
  address?: string;
  /** The time of the attempt (tests). */
  now?: Date;
}

/**
 * Checks credentials and opens a session: the token goes in the cookie, its hash in the database. An unknown
 * email, a wrong password and a blocked user are one `unauthenticated` answer, so it reveals no accounts, and
 * each costs one scrypt (an unknown email is checked against a dummy hash).
 *
 * Throttled per email and per address (`login-throttle.ts`): past a few failures an attempt that comes too
 * early is `rate-limited` (with the seconds to wait) before any hashing; when the server is already hashing
 * all it can, `rate-limited` too (retry in a second), and that attempt does not count as a failure.
 */
export async function signIn(
  db: Db,
  input: unknown,
  context: SignInContext = {},
): Promise<{ token: string; expiresAt: Date; user: Principal }> {
  const { email, password } = parseInput(credentialsSchema, input);
  const now = context.now ?? new Date();
  const attempt = await reserveLoginAttempt(db, { email, address: context.address }, now);
  const user = await checkPassword(db, email, password).catch(async (error: unknown) => {
    await releaseLoginAttempt(db, attempt);
    throw error;
  });
  if (!user || user.blocked) throw new UseCaseError("unauthenticated", "wrong email or password");
  await recordLoginSuccess(db, attempt);
  const { token, hash } = newSecretToken("as");
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 24 * 3600 * 1000);
  await db.session.create({ data: { id: hash, userId: user.id, expiresAt } });
  return { token, expiresAt, user: { id: user.id, email: user.email, name: user.name, roles: user.roles } };
}

/** The user whose password this is, or null; one scrypt either way. */
async function checkPassword(db: Db, email: string, password: string) {
  const user = await db.user.findUnique({ where: { email } });
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  return user && ok ? user : null;
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
  const now = new Date();
  if (credentials.bearerToken) {
    const token = await db.apiToken.findUnique({
      where: { tokenHash: hashToken(credentials.bearerToken) },
      select: { id: true, revokedAt: true, expiresAt: true, lastUsedAt: true, user: { select } },
    });
    if (token && !token.revokedAt && (!token.expiresAt || token.expiresAt > now)) {
      user = token.user;
      // "Last used" to the minute is enough, and saves a write on nearly every API call.
      if (!user.blocked && (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > 60_000)) {
        await db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now } });
      }
    }
  } else if (credentials.sessionToken) {
    const session = await db.session.findUnique({
      where: { id: hashToken(credentials.sessionToken) },
      select: { expiresAt: true, user: { select } },
    });
    if (session && session.expiresAt > now) user = session.user;
  }
  if (!user || user.blocked) return null;
  return { id: user.id, email: user.email, name: user.name, roles: user.roles };
}

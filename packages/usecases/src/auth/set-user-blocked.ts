import type { Db } from "@arbor/db";
import { conflict, forbidden, notFound } from "../errors.ts";

export interface BlockResult {
  id: number;
  email: string;
  blocked: boolean;
  /** Sessions ended and tokens revoked by this call (0 when unblocking or already blocked). */
  sessionsEnded: number;
  tokensRevoked: number;
}

/**
 * Blocks or unblocks a user. Blocking ends their sessions and revokes their API tokens for good: unblocking
 * lets them sign in again but revives no token (they make new ones). Refused: blocking yourself (`forbidden`:
 * nobody could unblock you from the web), and blocking the last unblocked admin (`conflict`). `actorId` is
 * the admin doing it (the API); the CLI has none. Admin changes are serialised by one advisory lock, so two
 * admins blocking each other at once cannot leave none.
 */
export async function setUserBlocked(
  db: Db,
  target: { userId: number } | { email: string },
  blocked: boolean,
  actorId?: number,
): Promise<BlockResult> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('arbor-admins'))`;
    const where = "userId" in target ? { id: target.userId } : { email: target.email.trim().toLowerCase() };
    const user = await tx.user.findUnique({ where, select: { id: true, email: true, roles: true, blocked: true } });
    if (!user)
      throw notFound("userId" in target ? `no user ${target.userId}` : `no user with the email ${target.email}`);
    if (!blocked) {
      await tx.user.update({ where: { id: user.id }, data: { blocked: false } });
      return { id: user.id, email: user.email, blocked: false, sessionsEnded: 0, tokensRevoked: 0 };
    }
    if (actorId !== undefined) {
      if (actorId === user.id)
        throw forbidden("you cannot block yourself (another admin, or `npx arbor user block`, can)");
      const actor = await tx.user.findUnique({ where: { id: actorId }, select: { blocked: true } });
      if (!actor || actor.blocked) throw forbidden("you are blocked");
    }
    if (user.roles.includes("admin") && !user.blocked) {
      const otherAdmins = await tx.user.count({
        where: { roles: { has: "admin" }, blocked: false, id: { not: user.id } },
      });
      if (otherAdmins === 0) {
        throw conflict(
          `${user.email} is the last unblocked admin: create another admin first (npx arbor user create --role admin)`,
        );
      }
    }
    await tx.user.update({ where: { id: user.id }, data: { blocked: true } });
    const sessions = await tx.session.deleteMany({ where: { userId: user.id } });
    const tokens = await tx.apiToken.updateMany({
      where: { userId: user.id, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    return {
      id: user.id,
      email: user.email,
      blocked: true,
      sessionsEnded: sessions.count,
      tokensRevoked: tokens.count,
    };
  });
}

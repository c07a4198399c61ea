import type { Db } from "@arbor/db";
import { conflict, invalid, notFound, parseInput } from "../errors.ts";
import type { Actor } from "../restrictions/viewer.ts";
import { assertHost } from "./challenge-access.ts";
import {
  type BanInput,
  banSchema,
  type ChallengeBanAnswer,
  type ChallengeUnbanned,
  type UnbanInput,
  unbanSchema,
} from "./host-schemas.ts";

/**
 * The host bans a user from a challenge, with the reason: they can no longer join or submit, and their team
 * (every member's, for a team of several: its scores are theirs too) leaves the challenge's boards. Their
 * membership and submissions stay, for the record and for an unban. Banning again replaces the reason. The
 * challenge's own host cannot be banned.
 */
export async function banFromChallenge(
  db: Db,
  challengeId: number,
  input: BanInput,
  actor: Actor,
): Promise<ChallengeBanAnswer> {
  const p = parseInput(banSchema, input);
  const challenge = await assertHost(db, challengeId, actor);
  if (p.userId === challenge.ownerId)
    throw conflict(`user ${p.userId} hosts challenge ${challengeId}: a host cannot be banned`);
  const user = await db.user.findUnique({ where: { id: p.userId }, select: { id: true } });
  if (!user) throw invalid(`userId: no user ${p.userId}`);
  const ban = await db.challengeBan.upsert({
    where: { challengeId_userId: { challengeId, userId: p.userId } },
    create: { challengeId, userId: p.userId, reason: p.reason },
    update: { reason: p.reason },
  });
  return { challengeId, userId: ban.userId, reason: ban.reason, createdAt: ban.createdAt.toISOString() };
}

/** The host lifts a ban: the user may join and submit again, and their team is back on the boards. */
export async function unbanFromChallenge(
  db: Db,
  challengeId: number,
  input: UnbanInput,
  actor: Actor,
): Promise<ChallengeUnbanned> {
  const p = parseInput(unbanSchema, input);
  await assertHost(db, challengeId, actor);
  const removed = await db.challengeBan.deleteMany({ where: { challengeId, userId: p.userId } });
  if (removed.count === 0) throw notFound(`user ${p.userId} is not banned from challenge ${challengeId}`);
  return { challengeId, userId: p.userId, banned: false };
}

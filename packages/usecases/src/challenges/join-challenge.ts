import type { Db } from "@arbor/db";
import { conflict, forbidden, notFound, parseInput, UseCaseError } from "../errors.ts";
import type { Actor } from "../restrictions/viewer.ts";
import { isBanned } from "./challenge-access.ts";
import { type ChallengeMembership, type JoinChallengeInput, joinChallengeSchema } from "./challenge-schemas.ts";
import { newInviteCode } from "./invite-code.ts";

/** The prefix of the teams the host registers baselines under: no participant's team takes it. */
export const BASELINE_TEAM_PREFIX = "baseline: ";

/**
 * Signs a user up for a challenge, accepting its rules: a new team of one by default, or an existing team
 * while it has room (the challenge's team size limit). Joining again returns the membership held. A user the
 * host banned may not join (nor rejoin); nobody joins a baseline's team or takes a baseline's name.
 */
export async function joinChallenge(db: Db, input: JoinChallengeInput, actor: Actor): Promise<ChallengeMembership> {
  const p = parseInput(joinChallengeSchema, input);
  if (actor.id === null) throw new UseCaseError("unauthenticated", "sign in to join a challenge");
  const userId = actor.id;
  const challenge = await db.challenge.findUnique({ where: { id: p.challengeId } });
  if (!challenge) throw notFound(`no challenge ${p.challengeId}`);
  if (await isBanned(db, p.challengeId, userId)) throw forbidden(`you were banned from challenge ${p.challengeId}`);
  const held = await db.challengeMember.findUnique({
    where: { challengeId_userId: { challengeId: p.challengeId, userId } },
    include: { team: true },
  });
  if (held) return answer(held.team, held.acceptedRulesAt);
  if (challenge.status !== "open") throw conflict(`challenge ${p.challengeId} is closed`);
  if (!challenge.openSignUp) throw forbidden(`challenge ${p.challengeId} takes no open sign-ups`);
  return db.$transaction(async (tx) => {
    const now = new Date();
    let team: { id: number; name: string; inviteCode: string };
    if (p.inviteCode !== undefined) {
      const [found] = await tx.$queryRaw<{ id: number; name: string; baseline: boolean; inviteCode: string }[]>`
        SELECT id, name, baseline, invite_code AS "inviteCode" FROM challenge_team
        WHERE invite_code = ${p.inviteCode} AND challenge_id = ${p.challengeId} FOR UPDATE`;
      if (!found) throw notFound(`challenge ${p.challengeId} has no team with this invite code`);
      if (found.baseline) throw conflict(`team ${found.name} is the host's baseline: nobody joins it`);
      const size = await tx.challengeMember.count({ where: { teamId: found.id } });
      if (size >= challenge.teamSizeLimit)
        throw conflict(`team ${found.name} is full (${challenge.teamSizeLimit} members at most)`);
      team = { id: found.id, name: found.name, inviteCode: found.inviteCode };
    } else {
      const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { name: true } });
      // Never the email: team names are on the public board.
      const name = p.teamName ?? user.name ?? `participant #${userId}`;
      if (name.toLowerCase().startsWith(BASELINE_TEAM_PREFIX.trim()))
        throw conflict(`a team name may not start with "${BASELINE_TEAM_PREFIX.trim()}" (the host's baselines do)`);
      const taken = await tx.challengeTeam.findUnique({
        where: { challengeId_name: { challengeId: p.challengeId, name } },
        select: { id: true },
      });
      if (taken) throw conflict(`a team named ${JSON.stringify(name)} already takes part; choose another name`);
      team = await tx.challengeTeam.create({
        data: { challengeId: p.challengeId, name, inviteCode: newInviteCode() },
        select: { id: true, name: true, inviteCode: true },
      });
    }
    await tx.challengeMember.create({
      data: { teamId: team.id, userId, challengeId: p.challengeId, acceptedRulesAt: now },
    });
    return answer(team, now);
  });
}

const answer = (
  team: { id: number; name: string; inviteCode: string },
  acceptedRulesAt: Date,
): ChallengeMembership => ({
  teamId: team.id,
  teamName: team.name,
  inviteCode: team.inviteCode,
  acceptedRulesAt: acceptedRulesAt.toISOString(),
});

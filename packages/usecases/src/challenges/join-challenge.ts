import type { Db } from "@arbor/db";
import { conflict, forbidden, notFound, parseInput, UseCaseError } from "../errors.ts";
import type { Actor } from "../restrictions/viewer.ts";
import { type ChallengeMembership, type JoinChallengeInput, joinChallengeSchema } from "./challenge-schemas.ts";

/**
 * Signs a user up for a challenge, accepting its rules: a new team of one by default, or an existing team
 * while it has room (the challenge's team size limit). Joining again returns the membership held.
 */
export async function joinChallenge(db: Db, input: JoinChallengeInput, actor: Actor): Promise<ChallengeMembership> {
  const p = parseInput(joinChallengeSchema, input);
  if (actor.id === null) throw new UseCaseError("unauthenticated", "sign in to join a challenge");
  const userId = actor.id;
  const challenge = await db.challenge.findUnique({ where: { id: p.challengeId } });
  if (!challenge) throw notFound(`no challenge ${p.challengeId}`);
  const held = await db.challengeMember.findUnique({
    where: { challengeId_userId: { challengeId: p.challengeId, userId } },
    include: { team: true },
  });
  if (held) return answer(held.team, held.acceptedRulesAt);
  if (challenge.status !== "open") throw conflict(`challenge ${p.challengeId} is closed`);
  if (!challenge.openSignUp) throw forbidden(`challenge ${p.challengeId} takes no open sign-ups`);
  return db.$transaction(async (tx) => {
    const now = new Date();
    let team: { id: number; name: string };
    if (p.teamId !== undefined) {
      const [found] = await tx.$queryRaw<{ id: number; name: string }[]>`
        SELECT id, name FROM challenge_team WHERE id = ${p.teamId} AND challenge_id = ${p.challengeId} FOR UPDATE`;
      if (!found) throw notFound(`challenge ${p.challengeId} has no team ${p.teamId}`);
      const size = await tx.challengeMember.count({ where: { teamId: found.id } });
      if (size >= challenge.teamSizeLimit)
        throw conflict(`team ${found.name} is full (${challenge.teamSizeLimit} members at most)`);
      team = found;
    } else {
      const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, name: true } });
      const name = p.teamName ?? user.name ?? user.email;
      const taken = await tx.challengeTeam.findUnique({
        where: { challengeId_name: { challengeId: p.challengeId, name } },
        select: { id: true },
      });
      if (taken) throw conflict(`a team named ${JSON.stringify(name)} already takes part; choose another name`);
      team = await tx.challengeTeam.create({
        data: { challengeId: p.challengeId, name },
        select: { id: true, name: true },
      });
    }
    await tx.challengeMember.create({
      data: { teamId: team.id, userId, challengeId: p.challengeId, acceptedRulesAt: now },
    });
    return answer(team, now);
  });
}

const answer = (team: { id: number; name: string }, acceptedRulesAt: Date): ChallengeMembership => ({
  teamId: team.id,
  teamName: team.name,
  acceptedRulesAt: acceptedRulesAt.toISOString(),
});

import type { Db } from "@arbor/db";
import type { Viewer } from "../restrictions/viewer.ts";
import { mayHost, phaseState } from "./challenge-access.ts";
import type { ChallengeSummary } from "./participant-schemas.ts";

/** Every challenge, newest first, with its phases' dates: public (anonymous visitors too). */
export async function listChallenges(
  db: Db,
  viewer: Viewer,
  options: { now?: Date } = {},
): Promise<ChallengeSummary[]> {
  const now = options.now ?? new Date();
  const userId = viewer?.id ?? null;
  const challenges = await db.challenge.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: {
      id: true,
      title: true,
      status: true,
      openSignUp: true,
      teamSizeLimit: true,
      createdAt: true,
      ownerId: true,
      phases: {
        select: { id: true, name: true, startsAt: true, endsAt: true },
        orderBy: [{ startsAt: "asc" }, { id: "asc" }],
      },
    },
  });
  const joined =
    userId === null
      ? new Set<number>()
      : new Set(
          (await db.challengeMember.findMany({ where: { userId }, select: { challengeId: true } })).map(
            (m) => m.challengeId,
          ),
        );
  return challenges.map((c) => ({
    id: c.id,
    title: c.title,
    status: c.status,
    openSignUp: c.openSignUp,
    teamSizeLimit: c.teamSizeLimit,
    createdAt: c.createdAt.toISOString(),
    phases: c.phases.map((p) => ({
      id: p.id,
      name: p.name,
      startsAt: p.startsAt.toISOString(),
      endsAt: p.endsAt.toISOString(),
      state: phaseState(p, now),
    })),
    joined: joined.has(c.id),
    hosting: mayHost(viewer, c.ownerId),
  }));
}

import type { Db } from "@arbor/db";
import { notFound } from "../errors.ts";
import type { Viewer } from "../restrictions/viewer.ts";
import { findMembership, isBanned, mayHost, phaseState } from "./challenge-access.ts";
import type { ChallengeDetail } from "./participant-schemas.ts";

/**
 * A challenge as its page shows it: rules, phases (with their quotas and how many test images and classes
 * the current ground truth has: the test set is published, its labels are not), the exports published to
 * participants, and the caller's own team. Public: anyone may read a challenge. Members are named by
 * their user name only, never their email.
 */
export async function getChallenge(
  db: Db,
  challengeId: number,
  viewer: Viewer,
  options: { now?: Date } = {},
): Promise<ChallengeDetail> {
  const now = options.now ?? new Date();
  const challenge = await db.challenge.findUnique({
    where: { id: challengeId },
    select: {
      id: true,
      title: true,
      description: true,
      status: true,
      openSignUp: true,
      teamSizeLimit: true,
      ownerId: true,
      owner: { select: { id: true, name: true } },
      phases: {
        orderBy: [{ startsAt: "asc" }, { id: "asc" }],
        select: {
          id: true,
          name: true,
          startsAt: true,
          endsAt: true,
          dailyQuota: true,
          totalQuota: true,
          failureDailyCap: true,
          leaderboard: true,
          publicFraction: true,
          classWnids: true,
          classesPublished: true,
          hierarchyFingerprint: true,
          truthRevision: true,
          postChallenge: true,
          truthSource: true,
          releasedAt: true,
        },
      },
      exports: {
        orderBy: { exportId: "asc" },
        select: { export: { select: { id: true, format: true, versionId: true, status: true } } },
      },
    },
  });
  if (!challenge) throw notFound(`no challenge ${challengeId}`);
  const counts =
    challenge.phases.length === 0
      ? []
      : await db.challengeTruth.groupBy({
          by: ["phaseId", "revision"],
          where: { OR: challenge.phases.map((p) => ({ phaseId: p.id, revision: p.truthRevision })) },
          _count: { _all: true },
        });
  const imagesOf = new Map(counts.map((c) => [`${c.phaseId}:${c.revision}`, c._count._all]));
  const member = await findMembership(db, challengeId, viewer);
  const members = member
    ? await db.challengeMember.findMany({
        where: { teamId: member.teamId },
        orderBy: [{ acceptedRulesAt: "asc" }, { userId: "asc" }],
        select: { user: { select: { name: true } } },
      })
    : [];
  const banned = viewer?.id !== null && viewer?.id !== undefined && (await isBanned(db, challengeId, viewer.id));
  return {
    id: challenge.id,
    title: challenge.title,
    description: challenge.description,
    status: challenge.status,
    openSignUp: challenge.openSignUp,
    teamSizeLimit: challenge.teamSizeLimit,
    host: challenge.owner ? { name: challenge.owner.name ?? `user #${challenge.owner.id}` } : null,
    hosting: mayHost(viewer, challenge.ownerId),
    banned,
    membership: member
      ? {
          teamId: member.teamId,
          teamName: member.team.name,
          inviteCode: member.team.inviteCode,
          members: members.map((m, i) => m.user.name ?? `member #${i + 1}`),
          acceptedRulesAt: member.acceptedRulesAt.toISOString(),
        }
      : null,
    phases: challenge.phases.map((p) => ({
      id: p.id,
      name: p.name,
      startsAt: p.startsAt.toISOString(),
      endsAt: p.endsAt.toISOString(),
      state: phaseState(p, now),
      dailyQuota: p.dailyQuota,
      totalQuota: p.totalQuota,
      failureDailyCap: p.failureDailyCap,
      leaderboard: p.leaderboard,
      publicFraction: p.publicFraction,
      images: imagesOf.get(`${p.id}:${p.truthRevision}`) ?? 0,
      classes: p.classWnids.length,
      classesPublished: p.classesPublished,
      hierarchical: p.hierarchyFingerprint !== null,
      truthRevision: p.truthRevision,
      postChallenge: p.postChallenge,
      truthSource: p.truthSource,
      released: p.releasedAt !== null,
    })),
    exports: challenge.exports.map(({ export: e }) => ({
      id: e.id,
      format: e.format,
      versionId: e.versionId,
      status: e.status,
    })),
  };
}

import type { Db } from "@arbor/db";
import { notFound } from "../errors.ts";
import { bannedTeamIds } from "./get-leaderboard.ts";
import type { ScoreHistory } from "./host-schemas.ts";

/**
 * The public scores of a phase's submissions over time, oldest first, for the board's plot: scored at the
 * current revision of the ground truth, counted, not late, not flagged, no banned user's team; baselines marked.
 * Never a private score (they are not even read). Empty while a hidden-until-end board runs, as the board is.
 */
export async function getScoreHistory(db: Db, phaseId: number, options: { now?: Date } = {}): Promise<ScoreHistory> {
  const now = options.now ?? new Date();
  const phase = await db.challengePhase.findUnique({
    where: { id: phaseId },
    select: { challengeId: true, endsAt: true, leaderboard: true, truthRevision: true },
  });
  if (!phase) throw notFound(`no phase ${phaseId}`);
  if (now < phase.endsAt && phase.leaderboard === "hidden_until_end") return [];
  const rows = await db.challengeSubmission.findMany({
    where: {
      phaseId,
      status: "scored",
      counted: true,
      late: false,
      flaggedAt: null,
      truthRevision: phase.truthRevision,
      publicTop5: { not: null },
      teamId: { notIn: await bannedTeamIds(db, phase.challengeId) },
    },
    select: {
      id: true,
      teamId: true,
      createdAt: true,
      publicTop1: true,
      publicTop5: true,
      team: { select: { name: true, baseline: true } },
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map((r) => ({
    submissionId: r.id,
    teamId: r.teamId,
    team: r.team.name,
    submittedAt: r.createdAt.toISOString(),
    top5: r.publicTop5 ?? 1,
    top1: r.publicTop1 ?? 1,
    baseline: r.team.baseline,
  }));
}

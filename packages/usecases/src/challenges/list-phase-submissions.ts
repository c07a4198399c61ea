import type { Db } from "@arbor/db";
import type { Actor } from "../restrictions/viewer.ts";
import { assertPhaseHost } from "./challenge-access.ts";
import type { PhaseSubmissions } from "./host-schemas.ts";

/**
 * The host's view of a phase's submissions, newest first: every one (refused, flagged, late, baselines too)
 * with its team, its submitter's name and email, its status and failure, and its public and private scores
 * (the host sees private scores while the phase runs; participants never do).
 */
export async function listPhaseSubmissions(db: Db, phaseId: number, actor: Actor): Promise<PhaseSubmissions> {
  const phase = await assertPhaseHost(db, phaseId, actor);
  const rows = await db.challengeSubmission.findMany({
    where: { phaseId },
    include: {
      team: { select: { name: true, baseline: true } },
      submittedBy: { select: { id: true, name: true, email: true } },
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  return {
    phaseId,
    revision: phase.truthRevision,
    submissions: rows.map((r) => ({
      id: r.id,
      teamId: r.teamId,
      team: r.team.name,
      baseline: r.team.baseline,
      baselineModelId: r.baselineModelId,
      submittedBy: r.submittedBy,
      createdAt: r.createdAt.toISOString(),
      format: r.format,
      bytes: r.bytes,
      sha256: r.sha256,
      status: r.status,
      counted: r.counted,
      failureReason: r.failureReason,
      late: r.late,
      selectedForFinal: r.selectedForFinal,
      flagged: r.flaggedAt !== null,
      flagReason: r.flagReason,
      truthRevision: r.truthRevision,
      publicScores: { top1: r.publicTop1, top5: r.publicTop5, hier2010: r.publicHier2010, hier2011: r.publicHier2011 },
      privateScores: {
        top1: r.privateTop1,
        top5: r.privateTop5,
        hier2010: r.privateHier2010,
        hier2011: r.privateHier2011,
      },
    })),
  };
}

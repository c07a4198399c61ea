import type { Db } from "@arbor/db";
import { notFound } from "../errors.ts";
import type { Viewer } from "../restrictions/viewer.ts";
import { assertMember } from "./challenge-access.ts";
import type { MySubmissions, SubmissionScores } from "./participant-schemas.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/** A submission row as read here: the private columns only exist (are selected) once the phase has ended. */
interface Row {
  id: number;
  createdAt: Date;
  format: MySubmissions["submissions"][number]["format"];
  bytes: number;
  status: MySubmissions["submissions"][number]["status"];
  failureReason: string | null;
  sha256: string;
  late: boolean;
  selectedForFinal: boolean;
  flaggedAt: Date | null;
  truthRevision: number | null;
  publicTop1: number | null;
  publicTop5: number | null;
  publicHier2010: number | null;
  publicHier2011: number | null;
  privateTop1?: number | null;
  privateTop5?: number | null;
  privateHier2010?: number | null;
  privateHier2011?: number | null;
}

/**
 * The caller's team's submissions to a phase, newest first, with what is left of its quotas (counted as
 * `submitToPhase` counts them: accepted files per UTC day and in all; refused files toward the daily failure
 * cap). Members only: a host who takes no part sees every team's submissions elsewhere. Private scores are
 * not even read from the database before the phase ends, so no answer can carry them.
 */
export async function listMySubmissions(
  db: Db,
  phaseId: number,
  actor: Viewer,
  options: { now?: Date } = {},
): Promise<MySubmissions> {
  const now = options.now ?? new Date();
  const phase = await db.challengePhase.findUnique({
    where: { id: phaseId },
    select: { id: true, challengeId: true, endsAt: true, dailyQuota: true, totalQuota: true, failureDailyCap: true },
  });
  if (!phase) throw notFound(`no phase ${phaseId}`);
  const { teamId } = await assertMember(db, phase.challengeId, actor);
  const ended = now >= phase.endsAt;
  const dayStart = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  const nextDay = new Date(dayStart.getTime() + DAY_MS);
  const mine = { phaseId, teamId };
  const [rows, today, total, failuresToday] = await Promise.all([
    db.challengeSubmission.findMany({
      where: mine,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: {
        id: true,
        createdAt: true,
        format: true,
        bytes: true,
        status: true,
        failureReason: true,
        sha256: true,
        late: true,
        selectedForFinal: true,
        flaggedAt: true,
        truthRevision: true,
        publicTop1: true,
        publicTop5: true,
        publicHier2010: true,
        publicHier2011: true,
        privateTop1: ended,
        privateTop5: ended,
        privateHier2010: ended,
        privateHier2011: ended,
      },
    }) as Promise<Row[]>,
    db.challengeSubmission.count({ where: { ...mine, counted: true, createdAt: { gte: dayStart } } }),
    db.challengeSubmission.count({ where: { ...mine, counted: true } }),
    db.challengeSubmission.count({ where: { ...mine, counted: false, createdAt: { gte: dayStart } } }),
  ]);
  const remainingTotal = Math.max(0, phase.totalQuota - total);
  const remainingToday = Math.min(remainingTotal, Math.max(0, phase.dailyQuota - today));
  // Nothing more is taken today when the quota or the failure cap is used up (unless nothing is left at all).
  const waiting = remainingTotal > 0 && (remainingToday <= 0 || failuresToday >= phase.failureDailyCap);
  return {
    phaseId,
    ended,
    quota: {
      remainingToday,
      remainingTotal,
      nextSlotAt: waiting ? nextDay.toISOString() : null,
      failuresToday,
      failureDailyCap: phase.failureDailyCap,
    },
    submissions: rows.map((r) => ({
      id: r.id,
      createdAt: r.createdAt.toISOString(),
      format: r.format,
      bytes: r.bytes,
      status: r.status,
      failureReason: r.failureReason,
      sha256: r.sha256,
      late: r.late,
      selectedForFinal: r.selectedForFinal,
      flagged: r.flaggedAt !== null,
      publicScores: scores(r.publicTop1, r.publicTop5, r.publicHier2010, r.publicHier2011),
      privateScores: ended
        ? scores(r.privateTop1 ?? null, r.privateTop5 ?? null, r.privateHier2010 ?? null, r.privateHier2011 ?? null)
        : null,
      truthRevision: r.truthRevision,
    })),
  };
}

function scores(
  top1: number | null,
  top5: number | null,
  hier2010: number | null,
  hier2011: number | null,
): SubmissionScores | null {
  return top1 === null || top5 === null ? null : { top1, top5, hier2010, hier2011 };
}

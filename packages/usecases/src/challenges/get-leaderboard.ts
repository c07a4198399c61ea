import type { Db, Prisma } from "@arbor/db";
import { notFound } from "../errors.ts";
import type { Leaderboard } from "./challenge-schemas.ts";

/** Final submissions per team that decide the private ranking. */
export const MAX_FINAL_SUBMISSIONS = 2;

/** A submission row (Prisma's type) with what ranking reads. */
type Scored = Pick<
  Prisma.ChallengeSubmissionGetPayload<{ select: { [K in keyof Prisma.ChallengeSubmissionSelect]: true } }>,
  | "id"
  | "teamId"
  | "createdAt"
  | "selectedForFinal"
  | "publicTop1"
  | "publicTop5"
  | "publicHier2010"
  | "publicHier2011"
  | "privateTop1"
  | "privateTop5"
  | "privateHier2010"
  | "privateHier2011"
>;

/**
 * A phase's leaderboard, ranked by top-5 error (lower is better; equal errors share a rank, listed by the
 * earlier submission). While the phase runs: each team's best public score, or nothing when the phase hides
 * its leaderboard; private scores are never read into the answer before the end. After the end: the private
 * score of each team's final submissions (those it selected, up to 2; else its two best public ones).
 */
export async function getLeaderboard(db: Db, phaseId: number, options: { now?: Date } = {}): Promise<Leaderboard> {
  const now = options.now ?? new Date();
  const phase = await db.challengePhase.findUnique({
    where: { id: phaseId },
    select: { endsAt: true, leaderboard: true },
  });
  if (!phase) throw notFound(`no phase ${phaseId}`);
  const ended = now >= phase.endsAt;
  const hidden = !ended && phase.leaderboard === "hidden_until_end";
  const scope = ended ? "private" : "public";
  if (hidden) return { phaseId, ended, scope, hidden, entries: [] };
  const rows: Scored[] = await db.challengeSubmission.findMany({
    where: { phaseId, status: "scored", counted: true, publicTop5: { not: null } },
    select: {
      id: true,
      teamId: true,
      createdAt: true,
      selectedForFinal: true,
      publicTop1: true,
      publicTop5: true,
      publicHier2010: true,
      publicHier2011: true,
      privateTop1: ended,
      privateTop5: ended,
      privateHier2010: ended,
      privateHier2011: ended,
    },
    orderBy: [{ publicTop5: "asc" }, { createdAt: "asc" }, { id: "asc" }],
  });
  const byTeam = new Map<number, Scored[]>();
  for (const r of rows) {
    const list = byTeam.get(r.teamId);
    if (list) list.push(r);
    else byTeam.set(r.teamId, [r]);
  }
  const pick = (r: Scored) =>
    ended
      ? { top1: r.privateTop1, top5: r.privateTop5, hier2010: r.privateHier2010, hier2011: r.privateHier2011 }
      : { top1: r.publicTop1, top5: r.publicTop5, hier2010: r.publicHier2010, hier2011: r.publicHier2011 };
  const best: Scored[] = [];
  for (const list of byTeam.values()) {
    let candidates = list; // best public first
    if (ended) {
      const selected = list.filter((r) => r.selectedForFinal);
      candidates = (selected.length > 0 ? selected : list).slice(0, MAX_FINAL_SUBMISSIONS);
      candidates = candidates.filter((r) => r.privateTop5 !== null);
      candidates.sort(byScore(pick));
    }
    if (candidates[0]) best.push(candidates[0]);
  }
  best.sort(byScore(pick));
  const teams = await db.challengeTeam.findMany({
    where: { id: { in: best.map((r) => r.teamId) } },
    select: { id: true, name: true },
  });
  const nameOf = new Map(teams.map((t) => [t.id, t.name]));
  let rank = 0;
  let previous: number | null = null;
  const entries = best.map((r, i) => {
    const scores = pick(r);
    if (scores.top5 !== previous) rank = i + 1;
    previous = scores.top5;
    return {
      rank,
      teamId: r.teamId,
      team: nameOf.get(r.teamId) ?? "",
      submissionId: r.id,
      submittedAt: r.createdAt.toISOString(),
      scores: { top1: scores.top1 ?? 1, top5: scores.top5 ?? 1, hier2010: scores.hier2010, hier2011: scores.hier2011 },
    };
  });
  return { phaseId, ended, scope, hidden, entries };
}

function byScore(pick: (r: Scored) => { top5: number | null }) {
  return (a: Scored, b: Scored) =>
    (pick(a).top5 ?? 1) - (pick(b).top5 ?? 1) || a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id;
}

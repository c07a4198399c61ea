import type { Db, DbOrTx, Prisma } from "@arbor/db";
import { notFound } from "../errors.ts";
import type { Leaderboard } from "./challenge-schemas.ts";

/** Final submissions per team that decide the private ranking. */
export const MAX_FINAL_SUBMISSIONS = 2;

export type LeaderboardBoard = Leaderboard["board"];

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

/** The teams of a challenge with a banned member: they leave every board of it. */
export async function bannedTeamIds(
  db: Pick<DbOrTx, "challengeBan" | "challengeMember">,
  challengeId: number,
): Promise<number[]> {
  const bans = await db.challengeBan.findMany({ where: { challengeId }, select: { userId: true } });
  if (bans.length === 0) return [];
  const members = await db.challengeMember.findMany({
    where: { challengeId, userId: { in: bans.map((b) => b.userId) } },
    select: { teamId: true },
  });
  return [...new Set(members.map((m) => m.teamId))];
}

/**
 * A phase's leaderboard, ranked by top-5 error (lower is better; equal errors share a rank, listed by the
 * earlier submission). Only submissions scored at the ground truth's current revision are on it (`rescoring`
 * counts those waiting to be scored again after a revision); flagged submissions and the teams of banned
 * users are left off; baselines (the host's registry models) are shown among the teams but take no rank.
 *
 * The final board (`board: "final"`, the default), without late submissions: while the phase runs, each
 * team's best public score, or nothing when the phase hides its leaderboard; private scores are never read
 * into the answer before the end. After the end: the private score of each team's final submissions (those it
 * selected, up to 2; else its two best public ones).
 *
 * The post-challenge board (`"post-challenge"`): submissions made after the end, each team's best private
 * score (the same held-out images as the final board). Before the end, or for a phase that takes no late
 * submissions, it is empty with a `note` saying why (an answer rather than an error, so a page can show it).
 */
export async function getLeaderboard(
  db: Db,
  phaseId: number,
  options: { board?: LeaderboardBoard; now?: Date } = {},
): Promise<Leaderboard> {
  const now = options.now ?? new Date();
  const board = options.board ?? "final";
  const phase = await db.challengePhase.findUnique({
    where: { id: phaseId },
    select: {
      name: true,
      challengeId: true,
      endsAt: true,
      leaderboard: true,
      truthRevision: true,
      postChallenge: true,
    },
  });
  if (!phase) throw notFound(`no phase ${phaseId}`);
  const ended = now >= phase.endsAt;
  const late = board === "post-challenge";
  const hidden = !late && !ended && phase.leaderboard === "hidden_until_end";
  const scope = ended ? "private" : "public";
  const revision = phase.truthRevision;
  const banned = await bannedTeamIds(db, phase.challengeId);
  const baselineTeams = await db.challengeTeam.findMany({
    where: { challengeId: phase.challengeId, baseline: true },
    select: { id: true },
  });
  const isBaseline = new Set(baselineTeams.map((t) => t.id));
  // Baselines are never late (registered by the host, see registerBaseline): shown on both boards.
  const onBoard: Prisma.ChallengeSubmissionWhereInput = {
    phaseId,
    counted: true,
    flaggedAt: null,
    teamId: { notIn: banned },
    OR: [{ late }, { teamId: { in: [...isBaseline] } }],
  };
  const rescoring = await db.challengeSubmission.count({
    where: {
      ...onBoard,
      AND: [
        {
          OR: [
            { status: { in: ["queued", "scoring"] } },
            { status: "scored", NOT: { truthRevision: revision } },
            { status: "scored", truthRevision: null },
          ],
        },
      ],
    },
  });
  const answer = { phaseId, board, ended, scope, hidden, revision, rescoring } as const;
  if (late && !phase.postChallenge)
    return { ...answer, scope: "private", note: `phase ${phase.name} takes no late submissions`, entries: [] };
  if (late && !ended)
    return {
      ...answer,
      scope: "private",
      note: `the post-challenge board opens when phase ${phase.name} ends, at ${phase.endsAt.toISOString()}`,
      entries: [],
    };
  if (hidden) return { ...answer, note: null, entries: [] };
  const privateScores = ended;
  const rows: Scored[] = await db.challengeSubmission.findMany({
    where: { ...onBoard, status: "scored", truthRevision: revision, publicTop5: { not: null } },
    select: {
      id: true,
      teamId: true,
      createdAt: true,
      selectedForFinal: true,
      publicTop1: true,
      publicTop5: true,
      publicHier2010: true,
      publicHier2011: true,
      privateTop1: privateScores,
      privateTop5: privateScores,
      privateHier2010: privateScores,
      privateHier2011: privateScores,
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
      // The final board's finals; the post-challenge board takes each team's best late file.
      if (!late) {
        const selected = list.filter((r) => r.selectedForFinal);
        candidates = (selected.length > 0 ? selected : list).slice(0, MAX_FINAL_SUBMISSIONS);
      }
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
  // Ranks count participants only: a baseline between two teams does not push the second one down.
  let rank = 0;
  let ranked = 0;
  let previous: number | null = null;
  const entries = best.map((r) => {
    const scores = pick(r);
    const baseline = isBaseline.has(r.teamId);
    let entryRank: number | null = null;
    if (!baseline) {
      ranked++;
      if (scores.top5 !== previous) rank = ranked;
      previous = scores.top5;
      entryRank = rank;
    }
    return {
      rank: entryRank,
      baseline,
      teamId: r.teamId,
      team: nameOf.get(r.teamId) ?? "",
      submissionId: r.id,
      submittedAt: r.createdAt.toISOString(),
      scores: { top1: scores.top1 ?? 1, top5: scores.top5 ?? 1, hier2010: scores.hier2010, hier2011: scores.hier2011 },
    };
  });
  return { ...answer, note: null, entries };
}

function byScore(pick: (r: Scored) => { top5: number | null }) {
  return (a: Scored, b: Scored) =>
    (pick(a).top5 ?? 1) - (pick(b).top5 ?? 1) || a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id;
}

const CSV_COLUMNS = [
  "rank",
  "team",
  "submission_id",
  "submitted_at",
  "top1",
  "top5",
  "hier2010",
  "hier2011",
  "baseline",
];

/**
 * A board as CSV, one line per entry under a header line. Fields with a comma, quote or line break are quoted;
 * a team name starting with = + - @ (a spreadsheet would run it as a formula) is prefixed with an apostrophe.
 */
export function leaderboardCsv(board: Leaderboard): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const e of board.entries) {
    const fields = [
      e.rank ?? "",
      csvText(e.team),
      e.submissionId,
      e.submittedAt,
      e.scores.top1,
      e.scores.top5,
      e.scores.hier2010 ?? "",
      e.scores.hier2011 ?? "",
      e.baseline,
    ];
    lines.push(fields.join(","));
  }
  return `${lines.join("\n")}\n`;
}

function csvText(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

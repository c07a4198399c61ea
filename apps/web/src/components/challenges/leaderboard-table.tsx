import type { Leaderboard } from "@arbor/usecases";
import { formatError, formatUtc } from "./challenge-format";

/**
 * A leaderboard: ranked by top-5 error, equal errors sharing a rank; baselines (registry models the host
 * entered) are shown among the teams at their score but hold no rank.
 */
export function LeaderboardTable({ board, label }: { board: Leaderboard; label: string }) {
  const hierarchical = board.entries.some((e) => e.scores.hier2010 !== null || e.scores.hier2011 !== null);
  if (board.entries.length === 0) return null;
  return (
    <div className="table-scroll">
      <table className="table leaderboard" aria-label={label}>
        <thead>
          <tr>
            <th className="num">rank</th>
            <th>team</th>
            <th className="num">top-5 error</th>
            <th className="num">top-1 error</th>
            {hierarchical && <th className="num">hierarchical 2010</th>}
            {hierarchical && <th className="num">hierarchical 2011</th>}
            <th>submitted (UTC)</th>
          </tr>
        </thead>
        <tbody>
          {board.entries.map((e) => (
            <tr key={e.submissionId} className={e.baseline ? "baseline" : undefined}>
              <td className="count num">{e.rank ?? <span className="chip">baseline</span>}</td>
              <td>
                {e.team}
                {e.baseline && <span className="muted small"> (baseline, unranked)</span>}
              </td>
              <td className="count num">
                <b>{formatError(e.scores.top5)}</b>
              </td>
              <td className="count num">{formatError(e.scores.top1)}</td>
              {hierarchical && <td className="count num">{formatError(e.scores.hier2010)}</td>}
              {hierarchical && <td className="count num">{formatError(e.scores.hier2011)}</td>}
              <td className="small">
                {formatUtc(e.submittedAt)} <span className="muted">#{e.submissionId}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import type { CandidateRunView } from "@arbor/usecases";
import Link from "next/link";
import { formatCount } from "../format";
import { runPercent } from "./prelabels-format";

/** Recent candidate runs with their progress (synsets done of total) and the candidate links they made. */
export function CandidateRunsTable({ runs }: { runs: readonly CandidateRunView[] }) {
  if (runs.length === 0) return <p className="muted">No runs yet.</p>;
  return (
    <table className="table" aria-label="Candidate runs">
      <thead>
        <tr>
          <th>#</th>
          <th>model</th>
          <th>synset</th>
          <th>proposes</th>
          <th>status</th>
          <th>progress</th>
          <th className="num">proposed</th>
          <th>started</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => {
          const done = runPercent(run);
          return (
            <tr key={run.id}>
              <td className="count">{run.id}</td>
              <td>
                <Link href={`/models/${run.modelId}`}>{run.modelName}</Link>
              </td>
              <td>
                <Link href={`/synsets/${run.wnid}`}>{run.lemma}</Link> <span className="mono muted">{run.wnid}</span>
                {run.subtree && <span className="muted small"> and below</span>}
              </td>
              <td className="small">{criteria(run)}</td>
              <td>
                <span className={`status status-${run.status}`}>{run.status}</span>
                {run.error && <p className="error small candidate-run-error">{run.error}</p>}
              </td>
              <td>
                <div className="candidate-run-progress">
                  <div
                    className="progress"
                    role="progressbar"
                    aria-label={`Run ${run.id}: synsets done`}
                    aria-valuemin={0}
                    aria-valuemax={100}
                    aria-valuenow={done ?? undefined}
                  >
                    <span style={{ width: `${done ?? (run.status === "queued" ? 0 : 5)}%` }} />
                  </div>
                  <span className="count small">
                    {formatCount(run.processed)} / {run.total === null ? "?" : formatCount(run.total)}
                  </span>
                </div>
              </td>
              <td className="count num">{formatCount(run.proposed)}</td>
              <td className="small">
                {run.startedAt ? new Date(run.startedAt).toLocaleString("en-GB") : "—"}
                {run.finishedAt && (
                  <span className="muted"> · took {seconds(run.startedAt ?? run.createdAt, run.finishedAt)}</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function criteria(run: CandidateRunView): string {
  const parts = [
    run.minScore !== null ? `score ≥ ${run.minScore}` : null,
    run.topK !== null ? `in top ${run.topK}` : null,
  ].filter((part) => part !== null);
  return parts.join(" or ");
}

function seconds(from: string, to: string): string {
  const s = Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.round(s / 60)} min`;
}

"use client";

import type { IngestRunView } from "@arbor/usecases";
import Link from "next/link";
import { formatCount } from "../format";
import { ACTIVE_STATUSES, RunProgressBar, usePolledRun } from "../run-progress-bar";

/** A run's live progress and report, polled while the run is active. */
export function RunProgress({ initial }: { initial: IngestRunView }) {
  const run = usePolledRun(initial, "/api/v1/ingest-runs");
  return (
    <div className="stack">
      <section className="panel">
        <div className="row" style={{ display: "flex", gap: "1rem", alignItems: "center" }}>
          <span className={`status status-${run.status}`}>{run.status}</span>
          <RunProgressBar status={run.status} processed={run.processed} total={run.total} label="Items processed" />
          <span className="count">
            {formatCount(run.processed)} / {run.total === null ? "?" : formatCount(run.total)}
          </span>
        </div>
        {run.error && <p className="error">{run.error}</p>}
        {run.warning && (
          <p className="run-warning" role="status">
            {run.warning}
          </p>
        )}
      </section>
      <section className="facts" aria-label="Outcome">
        {[
          ["new images", run.added],
          ["duplicates", run.duplicates],
          ["near-duplicates", run.nearDuplicates],
          ["skipped", run.skipped],
        ].map(([label, value]) => (
          <div key={label} className="panel fact">
            <b>{formatCount(value as number)}</b>
            <span>{label}</span>
          </div>
        ))}
      </section>
      {run.nearDuplicatePairs.length > 0 && (
        <section className="panel">
          <h2>Near duplicates ({formatCount(run.nearDuplicates)})</h2>
          <ul className="image-grid">
            {run.nearDuplicatePairs.map((pair) => (
              <li key={`${pair.imageId}-${pair.otherId}`}>
                <Link href={`/images/${pair.imageId}`} title={`like image ${pair.otherId}, distance ${pair.distance}`}>
                  {/* biome-ignore lint/performance/noImgElement: small immutable thumbnails */}
                  <img src={`/api/v1/images/${pair.imageId}/thumbnail`} alt={`#${pair.imageId}`} loading="lazy" />
                  <span className="state">
                    ≈ #{pair.otherId} (d = {pair.distance})
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="panel">
        <h2>Skipped ({formatCount(run.skipped)})</h2>
        {run.skips.length === 0 ? (
          <p className="muted">Nothing skipped{ACTIVE_STATUSES.has(run.status) ? " so far" : ""}.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>item</th>
                <th>reason</th>
                <th>details</th>
              </tr>
            </thead>
            <tbody>
              {run.skips.map((skip) => (
                <tr key={skip.item}>
                  <td className="mono">{skip.item}</td>
                  <td>{skip.reason}</td>
                  <td>{skip.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

"use client";

import type { IngestRunView } from "@arbor/usecases";
import Link from "next/link";
import { useEffect, useState } from "react";
import { type ApiError, apiGet } from "../api-client";
import { formatCount } from "../format";

const ACTIVE = new Set(["queued", "running"]);

/** A run's live progress and report, polled while the run is active. */
export function RunProgress({ initial }: { initial: IngestRunView }) {
  const [run, setRun] = useState(initial);
  // Polls that found the server unreachable or failing: each is tried again a second later. A refusal (4xx:
  // signed out, the run gone) ends the polling, as a poll would only be refused again.
  const [misses, setMisses] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a miss polls again
  useEffect(() => {
    if (!ACTIVE.has(run.status)) return;
    const timer = setTimeout(() => {
      apiGet<IngestRunView>(`/api/v1/ingest-runs/${run.id}`).then(setRun, (error: ApiError) => {
        if (error.status === 0 || error.status >= 500) setMisses((n) => n + 1);
      });
    }, 1000);
    return () => clearTimeout(timer);
  }, [run, misses]);

  const percent = run.total ? Math.min(100, Math.round((100 * run.processed) / run.total)) : null;
  return (
    <div className="stack">
      <section className="panel">
        <div className="row" style={{ display: "flex", gap: "1rem", alignItems: "center" }}>
          <span className={`status status-${run.status}`}>{run.status}</span>
          <div
            className="progress"
            style={{ flex: 1 }}
            role="progressbar"
            aria-label="Items processed"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent ?? undefined}
          >
            <span style={{ width: `${percent ?? (ACTIVE.has(run.status) ? 5 : 100)}%` }} />
          </div>
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
          <p className="muted">Nothing skipped{ACTIVE.has(run.status) ? " so far" : ""}.</p>
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

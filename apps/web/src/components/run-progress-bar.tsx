"use client";

import { useEffect, useState } from "react";
import { type ApiError, apiGet } from "./api-client";

/** The statuses of a background run (ingest, freeze) that is not finished yet: polled, shown as moving. */
export const ACTIVE_STATUSES = new Set(["queued", "running"]);

/**
 * A background run as its API route reports it, polled once a second while it is queued or running. Polls
 * that found the server unreachable or failing (5xx) are tried again a second later; a refusal (4xx: signed
 * out, the run gone) ends the polling, as a poll would only be refused again.
 */
export function usePolledRun<T extends { id: number; status: string }>(initial: T, route: string): T {
  const [run, setRun] = useState(initial);
  const [misses, setMisses] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a miss polls again
  useEffect(() => {
    if (!ACTIVE_STATUSES.has(run.status)) return;
    const timer = setTimeout(() => {
      apiGet<T>(`${route}/${run.id}`).then(setRun, (error: ApiError) => {
        if (error.status === 0 || error.status >= 500) setMisses((n) => n + 1);
      });
    }, 1000);
    return () => clearTimeout(timer);
  }, [run, misses]);

  return run;
}

/** A run's progress bar: with no total yet, an active run shows a sliver and a finished one a full bar. */
export function RunProgressBar({
  status,
  processed,
  total,
  label,
}: {
  status: string;
  processed: number;
  total: number | null;
  label: string;
}) {
  const percent = total ? Math.min(100, Math.round((100 * processed) / total)) : null;
  return (
    <div
      className="progress"
      style={{ flex: 1 }}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent ?? undefined}
    >
      <span style={{ width: `${percent ?? (ACTIVE_STATUSES.has(status) ? 5 : 100)}%` }} />
    </div>
  );
}

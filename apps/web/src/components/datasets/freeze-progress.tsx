"use client";

import type { FreezeRunView } from "@arbor/usecases";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { type ApiError, apiGet } from "../api-client";
import { formatCount } from "../format";

const ACTIVE = new Set(["queued", "running"]);
const PHASES: Record<string, string> = {
  resolving: "resolving the classes",
  selecting: "taking each class's images",
  "near-duplicates": "grouping near-duplicates",
  assigning: "assigning splits",
  writing: "storing the version",
};

/**
 * A freeze run's live progress, polled once a second while it is queued or running. When it succeeds the page
 * goes to the new version (`goToVersion`); when it fails, the reason shows and `onFailed` gets the run (the
 * form lists a refusal's conflicts).
 */
export function FreezeProgress({
  initial,
  goToVersion = true,
  onFailed,
}: {
  initial: FreezeRunView;
  goToVersion?: boolean;
  onFailed?: (run: FreezeRunView) => void;
}) {
  const router = useRouter();
  const [run, setRun] = useState(initial);
  // Polls that found the server unreachable or failing are tried again; a refusal (4xx) ends the polling.
  const [misses, setMisses] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a miss polls again
  useEffect(() => {
    if (!ACTIVE.has(run.status)) return;
    const timer = setTimeout(() => {
      apiGet<FreezeRunView>(`/api/v1/freeze-runs/${run.id}`).then(setRun, (error: ApiError) => {
        if (error.status === 0 || error.status >= 500) setMisses((n) => n + 1);
      });
    }, 1000);
    return () => clearTimeout(timer);
  }, [run, misses]);

  useEffect(() => {
    if (run.status === "succeeded" && run.versionId !== null && goToVersion) {
      router.push(`/datasets/${run.versionId}`);
      router.refresh();
    }
    if (run.status === "failed") onFailed?.(run);
  }, [run, goToVersion, router, onFailed]);

  const percent = run.total ? Math.min(100, Math.round((100 * run.processed) / run.total)) : null;
  return (
    <div className="freeze-progress" role="status" aria-label={`Freezing ${run.datasetName}`}>
      <div className="row" style={{ display: "flex", gap: "1rem", alignItems: "center" }}>
        <span className={`status status-${run.status}`}>{run.status}</span>
        <span className="muted">{run.datasetName}</span>
        <div
          className="progress"
          style={{ flex: 1 }}
          role="progressbar"
          aria-label="Classes done"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent ?? undefined}
        >
          <span style={{ width: `${percent ?? (ACTIVE.has(run.status) ? 5 : 100)}%` }} />
        </div>
        <span className="count">
          {run.phase ? PHASES[run.phase] : "waiting for a worker"}
          {run.total !== null && ` ${formatCount(run.processed)} / ${formatCount(run.total)}`}
        </span>
      </div>
      {run.error && <p className="error">{run.error}</p>}
      {run.status === "succeeded" && run.versionId !== null && (
        <p>
          <Link href={`/datasets/${run.versionId}`}>Frozen: open the version →</Link>
        </p>
      )}
    </div>
  );
}

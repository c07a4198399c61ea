"use client";

import type { FreezeRunView } from "@arbor/usecases";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { formatCount } from "../format";
import { RunProgressBar, usePolledRun } from "../run-progress-bar";

const PHASES: Record<string, string> = {
  resolving: "resolving the classes",
  selecting: "taking each class's images",
  "near-duplicates": "grouping near-duplicates",
  assigning: "assigning splits",
  writing: "storing the version",
};

/** What the run is doing; a finished one keeps its last phase, which it is no longer in. */
export function phaseText(run: Pick<FreezeRunView, "status" | "phase">): string {
  if (run.status === "succeeded") return "done";
  const phase = (run.phase && PHASES[run.phase]) || "waiting for a worker";
  return run.status === "failed" ? `stopped while ${phase}` : phase;
}

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
  const run = usePolledRun(initial, "/api/v1/freeze-runs");

  useEffect(() => {
    if (run.status === "succeeded" && run.versionId !== null && goToVersion) {
      router.push(`/datasets/${run.versionId}`);
      router.refresh();
    }
    if (run.status === "failed") onFailed?.(run);
  }, [run, goToVersion, router, onFailed]);

  return (
    <div className="freeze-progress" role="status" aria-label={`Freezing ${run.datasetName}`}>
      <div className="row" style={{ display: "flex", gap: "1rem", alignItems: "center" }}>
        <span className={`status status-${run.status}`}>{run.status}</span>
        <span className="muted">{run.datasetName}</span>
        <RunProgressBar status={run.status} processed={run.processed} total={run.total} label="Classes done" />
        <span className="count">
          {phaseText(run)}
          {run.status !== "succeeded" &&
            run.total !== null &&
            ` ${formatCount(run.processed)} / ${formatCount(run.total)}`}
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

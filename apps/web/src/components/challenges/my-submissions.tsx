"use client";

import type { MySubmissions as MySubmissionsData } from "@arbor/usecases";
import { useRouter } from "next/navigation";
import { apiPut } from "../api-client";
import { FormError } from "../form-error";
import { useSubmit } from "../use-submit";
import { formatBytes, formatError, formatUtc } from "./challenge-format";

/** Final submissions a team may choose (the private ranking reads these). */
const MAX_FINALS = 2;

type Submission = MySubmissionsData["submissions"][number];

/**
 * The caller's team's submissions with their status and scores, what is left of the quota, and (while the
 * phase runs) the choice of final submissions: up to two scored ones, else the two best public ones count.
 */
export function MySubmissions({
  phaseId,
  data,
  running,
}: {
  phaseId: number;
  data: MySubmissionsData;
  running: boolean;
}) {
  const router = useRouter();
  const { run, busy, error } = useSubmit();
  const { quota, submissions } = data;
  const selected = submissions.filter((s) => s.selectedForFinal).map((s) => s.id);
  const showPrivate = submissions.some((s) => s.privateScores !== null);
  const hierarchical = submissions.some((s) => s.publicScores?.hier2010 != null || s.publicScores?.hier2011 != null);

  const toggle = (id: number, on: boolean) =>
    void run(async () => {
      const next = on ? [...selected, id] : selected.filter((s) => s !== id);
      await apiPut(`/api/v1/phases/${phaseId}/finals`, { submissionIds: next });
      router.refresh();
    });

  const finalEligible = (s: Submission) => s.status === "scored" && !s.late;

  return (
    <div className="stack" style={{ gap: "0.75rem" }}>
      <p className="quota small" style={{ margin: 0 }}>
        {data.ended ? (
          "The phase has ended."
        ) : (
          <>
            <b>{quota.remainingToday}</b> submission{quota.remainingToday === 1 ? "" : "s"} left today,{" "}
            <b>{quota.remainingTotal}</b> in all · {quota.failuresToday} of {quota.failureDailyCap} refused files today
            {quota.nextSlotAt && <> · the next slot opens at {formatUtc(quota.nextSlotAt)}</>}
          </>
        )}
      </p>
      {submissions.length === 0 ? (
        <p className="muted" style={{ margin: 0 }}>
          Your team has not submitted to this phase yet.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="table" aria-label="My submissions">
            <thead>
              <tr>
                <th>#</th>
                <th>submitted (UTC)</th>
                <th>file</th>
                <th>status</th>
                <th className="num">public top-5 error</th>
                <th className="num">public top-1 error</th>
                {hierarchical && <th className="num">hierarchical</th>}
                {showPrivate && <th className="num">private top-5 error</th>}
                {showPrivate && <th className="num">private top-1 error</th>}
                {running && <th>final</th>}
              </tr>
            </thead>
            <tbody>
              {submissions.map((s) => {
                const checked = s.selectedForFinal;
                return (
                  <tr key={s.id} data-submission={s.id}>
                    <td>{s.id}</td>
                    <td className="small">{formatUtc(s.createdAt)}</td>
                    <td className="small">
                      {s.format} · {formatBytes(s.bytes)}
                      <div className="mono muted" title={s.sha256}>
                        {s.sha256.slice(0, 12)}…
                      </div>
                    </td>
                    <td>
                      <span className={`status submission-${s.status}`}>{s.status}</span>
                      {s.late && <div className="muted small">late: post-challenge board</div>}
                      {s.flagged && <div className="error small">flagged by the host: not ranked</div>}
                      {s.failureReason && <div className="error small pre-wrap">{s.failureReason}</div>}
                      {s.truthRevision !== null && <div className="muted small">truth revision {s.truthRevision}</div>}
                    </td>
                    <td className="count num">{formatError(s.publicScores?.top5)}</td>
                    <td className="count num">{formatError(s.publicScores?.top1)}</td>
                    {hierarchical && (
                      <td className="count num small">
                        2010: {formatError(s.publicScores?.hier2010)}
                        <br />
                        2011: {formatError(s.publicScores?.hier2011)}
                      </td>
                    )}
                    {showPrivate && <td className="count num">{formatError(s.privateScores?.top5)}</td>}
                    {showPrivate && <td className="count num">{formatError(s.privateScores?.top1)}</td>}
                    {running && (
                      <td>
                        {finalEligible(s) && (
                          <label className="check">
                            <input
                              type="checkbox"
                              checked={checked}
                              aria-label={`Submission ${s.id} is one of the final two`}
                              disabled={busy || (!checked && selected.length >= MAX_FINALS)}
                              onChange={(e) => toggle(s.id, e.target.checked)}
                            />
                            <span className="small">final</span>
                          </label>
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {running && submissions.some(finalEligible) && (
        <p className="muted small" style={{ margin: 0 }}>
          Choose up to {MAX_FINALS} final submissions: after the end, the best private score among them ranks your team.
          Choose none and your two best public scores count.
        </p>
      )}
      <FormError error={error} className="error small" />
    </div>
  );
}

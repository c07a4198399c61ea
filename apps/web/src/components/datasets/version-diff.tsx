"use client";

import type { DatasetDiff } from "@arbor/usecases";
import Link from "next/link";
import { useState } from "react";
import { apiGet } from "../api-client";
import { FormError } from "../form-error";
import { formatCount } from "../format";
import { useSubmit } from "../use-submit";

/** Compares this version with another version of the same dataset (GET /api/v1/datasets/{id}/diff). */
export function VersionDiff({
  versionId,
  name,
  number,
  versions,
}: {
  versionId: number;
  name: string;
  number: number;
  versions: Array<{ id: number; number: number }>;
}) {
  const others = versions.filter((v) => v.id !== versionId);
  // The version before this one, or else the newest other one.
  const initial = [...others].reverse().find((v) => v.number < number) ?? others.at(-1);
  const [against, setAgainst] = useState(initial?.id ?? 0);
  const [diff, setDiff] = useState<DatasetDiff | null>(null);
  const { onSubmit, busy, error } = useSubmit(async () => {
    setDiff(await apiGet<DatasetDiff>(`/api/v1/datasets/${versionId}/diff`, { query: { against } }));
  });
  if (others.length === 0) return <p className="muted">This is the only version of {name} so far.</p>;
  const numberOf = (id: number) => versions.find((v) => v.id === id)?.number;

  return (
    <div className="stack" style={{ gap: "0.75rem" }}>
      <form className="diff-form" onSubmit={onSubmit}>
        <label className="inline">
          Compare v{number} with{" "}
          <select value={against} onChange={(event) => setAgainst(Number(event.target.value))} aria-label="Version">
            {others.map((v) => (
              <option key={v.id} value={v.id}>
                v{v.number}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button" disabled={busy}>
          {busy ? "Comparing…" : "Compare"}
        </button>
      </form>
      <FormError error={error} />
      {diff && (
        <section aria-label="Differences">
          <p style={{ margin: "0 0 0.5rem" }}>
            From <Link href={`/datasets/${diff.from}`}>v{numberOf(diff.from)}</Link> to v{numberOf(diff.to)}:{" "}
            <b>+{formatCount(diff.imagesAdded)}</b> images added, <b>−{formatCount(diff.imagesRemoved)}</b> removed,{" "}
            {formatCount(diff.unchanged)} unchanged, {formatCount(diff.movedTotal)} moved to another class or split;{" "}
            {diff.classesAdded.length} classes added, {diff.classesRemoved.length} removed.
          </p>
          {(diff.classesAdded.length > 0 || diff.classesRemoved.length > 0) && (
            <p className="mono small" style={{ margin: "0 0 0.5rem" }}>
              {diff.classesAdded.slice(0, 100).map((w) => (
                <span key={w} className="chip">
                  +{w}
                </span>
              ))}{" "}
              {diff.classesRemoved.slice(0, 100).map((w) => (
                <span key={w} className="chip plain">
                  −{w}
                </span>
              ))}
            </p>
          )}
          {diff.moved.length > 0 && (
            <div className="scroll">
              <table className="table">
                <thead>
                  <tr>
                    <th>image (sha256)</th>
                    <th>from</th>
                    <th>to</th>
                  </tr>
                </thead>
                <tbody>
                  {diff.moved.map((m) => (
                    <tr key={m.sha256}>
                      <td className="mono">{m.sha256.slice(0, 16)}…</td>
                      <td className="mono">
                        {m.from.wnid} · {m.from.split}
                      </td>
                      <td className="mono">
                        {m.to.wnid} · {m.to.split}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </div>
  );
}

"use client";

import type { ExportFile, ExportStarted, ExportSummary } from "@arbor/usecases";
import { useEffect, useState } from "react";
import { apiGet, apiPost, messageOf } from "../api-client";
import { FormError } from "../form-error";
import { formatCount } from "../format";
import { useSubmit } from "../use-submit";

const ACTIVE = new Set(["queued", "running"]);

const getExport = (id: number) => apiGet<ExportSummary>(`/api/v1/exports/${id}`);

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

function describeOptions(e: ExportSummary): string {
  const parts = [
    e.options.resize === null ? "original bytes" : `shorter side ${e.options.resize}px, q${e.options.quality}`,
  ];
  if (e.format === "webdataset") parts.push(`${formatCount(e.options.shardSize)} per shard`);
  if (e.options.withholdTestLabels) parts.push("test labels withheld");
  return parts.join(" · ");
}

/** The version's exports with live progress (polled while any runs), and a form to start one. */
export function VersionExports({
  versionId,
  initial,
  exportRoots,
  labelsWithheld,
}: {
  versionId: number;
  initial: ExportSummary[];
  exportRoots: string[];
  /** Splits whose labels are withheld from the viewer: the server refuses an export that would carry them. */
  labelsWithheld: string[];
}) {
  const [exports, setExports] = useState(initial);
  const [formOpen, setFormOpen] = useState(initial.length === 0);

  useEffect(() => {
    const active = exports.filter((e) => ACTIVE.has(e.status));
    if (active.length === 0) return;
    const timer = setTimeout(async () => {
      // One that cannot be read this time keeps what it showed, and is asked again next time.
      const fresh = await Promise.all(active.map((e) => getExport(e.id).catch(() => e)));
      setExports((current) => current.map((e) => fresh.find((f) => f.id === e.id) ?? e));
    }, 1000);
    return () => clearTimeout(timer);
  }, [exports]);

  const started = async (id: number) => {
    const summary = await getExport(id);
    setExports((current) => [summary, ...current.filter((e) => e.id !== id)]);
  };

  return (
    <div className="stack" style={{ gap: "1rem" }}>
      {exports.length === 0 ? (
        <p className="muted" style={{ margin: 0 }}>
          Not exported yet.
        </p>
      ) : (
        <table className="table" aria-label="Exports">
          <thead>
            <tr>
              <th>#</th>
              <th>format</th>
              <th>location</th>
              <th>status</th>
              <th>progress</th>
              <th className="num">size</th>
            </tr>
          </thead>
          <tbody>
            {exports.map((e) => (
              <ExportRow key={e.id} summary={e} />
            ))}
          </tbody>
        </table>
      )}
      <details
        className="start-export"
        open={formOpen}
        onToggle={(event) => setFormOpen((event.currentTarget as HTMLDetailsElement).open)}
      >
        <summary>Start an export</summary>
        <StartExportForm
          versionId={versionId}
          exportRoots={exportRoots}
          labelsWithheld={labelsWithheld}
          onStarted={started}
        />
      </details>
    </div>
  );
}

function ExportRow({ summary: e }: { summary: ExportSummary }) {
  const percent = e.total ? Math.min(100, Math.round((100 * e.processed) / e.total)) : null;
  return (
    <tr data-export={e.id}>
      <td>{e.id}</td>
      <td>
        <b>{e.format}</b>
        <div className="muted small">{describeOptions(e)}</div>
      </td>
      <td className="mono small">{e.location}</td>
      <td>
        <span className={`status status-${e.status}`}>{e.status}</span>
        {e.error && <div className="error small">{e.error}</div>}
      </td>
      <td style={{ minWidth: "11rem" }}>
        <div
          className="progress"
          role="progressbar"
          aria-label={`Export ${e.id} progress`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent ?? undefined}
        >
          <span style={{ width: `${e.status === "succeeded" ? 100 : (percent ?? 3)}%` }} />
        </div>
        <span className="muted small count">
          {formatCount(e.processed)} / {e.total === null ? "?" : formatCount(e.total)} images
        </span>
        {e.status === "succeeded" && <ExportFiles exportId={e.id} />}
      </td>
      <td className="count num">{formatBytes(e.bytes)}</td>
    </tr>
  );
}

/** The download links of a finished export, fetched when opened (they are presigned for an hour). */
function ExportFiles({ exportId }: { exportId: number }) {
  const [files, setFiles] = useState<ExportFile[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = async () => {
    if (files) return;
    setError(null);
    try {
      setFiles((await apiGet<{ items: ExportFile[] }>(`/api/v1/exports/${exportId}/files`)).items);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <details
      className="files"
      onToggle={(event) => {
        if ((event.currentTarget as HTMLDetailsElement).open) void load();
      }}
    >
      <summary>Files</summary>
      {error && <p className="error small">{error}</p>}
      {files === null && !error && <p className="muted small">Loading…</p>}
      {files && (
        <ul className="file-list">
          {files.map((f) => (
            <li key={f.path}>
              {f.url ? (
                <a href={f.url} download={f.path.split("/").at(-1)} className="mono">
                  {f.path}
                </a>
              ) : (
                <span className="mono">{f.path}</span>
              )}
              {f.bytes > 0 && <span className="muted"> {formatBytes(f.bytes)}</span>}
            </li>
          ))}
          {files.some((f) => f.url === null) && (
            <li className="muted">A server folder: read the files there (no download links).</li>
          )}
        </ul>
      )}
    </details>
  );
}

function StartExportForm({
  versionId,
  exportRoots,
  labelsWithheld,
  onStarted,
}: {
  versionId: number;
  exportRoots: string[];
  labelsWithheld: string[];
  onStarted: (id: number) => Promise<void>;
}) {
  const [notice, setNotice] = useState<string | null>(null);
  const [format, setFormat] = useState("imagefolder");

  const { onSubmit, busy, error } = useSubmit(async (form) => {
    setNotice(null);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const number = (name: string) => (text(name) === "" ? undefined : Number(text(name)));
    const started = await apiPost<ExportStarted>(`/api/v1/datasets/${versionId}/exports`, {
      format,
      resize: text("resize") === "" ? null : number("resize"),
      quality: number("quality"),
      shardSize: number("shardSize"),
      withholdTestLabels: form.has("withholdTestLabels"),
      destination: text("destination") || null,
    });
    if (started.resumed) setNotice(`Resuming the unfinished export ${started.id} with the same options.`);
    await onStarted(started.id);
  });

  return (
    <form className="form" style={{ marginTop: "0.75rem" }} onSubmit={onSubmit}>
      <div className="policy-grid">
        <label>
          Format
          <select name="format" value={format} onChange={(event) => setFormat(event.target.value)}>
            <option value="imagefolder">ImageFolder</option>
            <option value="jsonl">JSONL</option>
            <option value="webdataset">WebDataset</option>
          </select>
        </label>
        <label>
          Resize to (px)
          <input
            type="number"
            name="resize"
            min={8}
            max={4096}
            step={1}
            placeholder="keep originals"
            title="re-encode as JPEG so the shorter side is this many pixels"
          />
        </label>
        <label>
          JPEG quality
          <input type="number" name="quality" min={1} max={100} step={1} defaultValue={90} />
        </label>
        <label hidden={format !== "webdataset"}>
          Images per shard
          <input type="number" name="shardSize" min={1} step={1} defaultValue={5000} />
        </label>
      </div>
      <label className="check">
        <input type="checkbox" name="withholdTestLabels" defaultChecked={labelsWithheld.includes("test")} /> Withhold
        test labels (for a challenge; they stay in Arbor, and the test split's images become restricted)
      </label>
      {labelsWithheld.length > 0 && (
        <p className="muted small" role="note">
          The labels of this version&apos;s {labelsWithheld.join(", ")} split are withheld from you: only the owner of
          the version that withholds them, or an admin, may export them labelled.
        </p>
      )}
      <label>
        Destination (optional)
        <input type="text" name="destination" className="mono" placeholder="blank: Arbor's blob store, downloadable" />
        <span className="muted small">
          Or <code>s3://bucket/prefix</code>, or a server folder inside {exportRoots.join(" or ")} (ARBOR_EXPORT_ROOTS).
        </span>
      </label>
      <FormError error={error} />
      {notice && <p className="muted">{notice}</p>}
      <div>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? "Starting…" : "Start export"}
        </button>
      </div>
    </form>
  );
}

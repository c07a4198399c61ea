"use client";

import type { ExportSummary } from "@arbor/usecases";
import { useEffect, useState } from "react";
import { formatCount } from "../format";

const ACTIVE = new Set(["queued", "running"]);

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
}: {
  versionId: number;
  initial: ExportSummary[];
  exportRoots: string[];
}) {
  const [exports, setExports] = useState(initial);
  const [formOpen, setFormOpen] = useState(initial.length === 0);

  useEffect(() => {
    const active = exports.filter((e) => ACTIVE.has(e.status));
    if (active.length === 0) return;
    const timer = setTimeout(async () => {
      const fresh = await Promise.all(
        active.map(async (e) => {
          const response = await fetch(`/api/v1/exports/${e.id}`);
          return response.ok ? ((await response.json()) as ExportSummary) : e;
        }),
      );
      setExports((current) => current.map((e) => fresh.find((f) => f.id === e.id) ?? e));
    }, 1000);
    return () => clearTimeout(timer);
  }, [exports]);

  const started = async (id: number) => {
    const response = await fetch(`/api/v1/exports/${id}`);
    if (!response.ok) return;
    const summary = (await response.json()) as ExportSummary;
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
        <StartExportForm versionId={versionId} exportRoots={exportRoots} onStarted={started} />
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
  const [files, setFiles] = useState<Array<{ path: string; bytes: number; url: string | null }> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = async () => {
    if (files) return;
    const response = await fetch(`/api/v1/exports/${exportId}/files`);
    const body = await response.json();
    if (!response.ok) setError(body.error?.message ?? `failed (${response.status})`);
    else setFiles(body.items);
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
  onStarted,
}: {
  versionId: number;
  exportRoots: string[];
  onStarted: (id: number) => Promise<void>;
}) {
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [format, setFormat] = useState("imagefolder");

  const submit = async (form: FormData) => {
    setError(null);
    setNotice(null);
    setBusy(true);
    try {
      const text = (name: string) => String(form.get(name) ?? "").trim();
      const number = (name: string) => (text(name) === "" ? undefined : Number(text(name)));
      const response = await fetch(`/api/v1/datasets/${versionId}/exports`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          format,
          resize: text("resize") === "" ? null : number("resize"),
          quality: number("quality"),
          shardSize: number("shardSize"),
          withholdTestLabels: form.has("withholdTestLabels"),
          destination: text("destination") || null,
        }),
      });
      const body = await response.json();
      if (!response.ok) return setError(body.error?.message ?? `failed (${response.status})`);
      if (body.resumed) setNotice(`Resuming the unfinished export ${body.id} with the same options.`);
      await onStarted(body.id);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="form"
      style={{ marginTop: "0.75rem" }}
      onSubmit={(event) => {
        event.preventDefault();
        void submit(new FormData(event.currentTarget));
      }}
    >
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
        <input type="checkbox" name="withholdTestLabels" /> Withhold test labels (for a challenge; they stay in Arbor)
      </label>
      <label>
        Destination (optional)
        <input type="text" name="destination" className="mono" placeholder="blank: Arbor's blob store, downloadable" />
        <span className="muted small">
          Or <code>s3://bucket/prefix</code>, or a server folder inside {exportRoots.join(" or ")} (ARBOR_EXPORT_ROOTS).
        </span>
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {notice && <p className="muted">{notice}</p>}
      <div>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? "Starting…" : "Start export"}
        </button>
      </div>
    </form>
  );
}

"use client";

import type { IngestRunView } from "@arbor/usecases";
import Link from "next/link";
import { useRef, useState } from "react";

/**
 * Drag and drop (or pick) image files to add them to a synset as candidates. The upload returns at once;
 * the ingest runs in the background and this polls its progress, then asks the grid to reload.
 */
export function UploadDropZone({ wnid, onIngested }: { wnid: string; onIngested: () => void }) {
  const [over, setOver] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [runId, setRunId] = useState<number | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const upload = async (files: File[]) => {
    if (files.length === 0) return;
    const form = new FormData();
    for (const file of files) form.append("files", file);
    setStatus(`Uploading ${files.length} file${files.length === 1 ? "" : "s"}…`);
    const response = await fetch(`/api/v1/synsets/${wnid}/uploads`, { method: "POST", body: form });
    const body = await response.json();
    if (!response.ok) return setStatus(`Upload refused: ${body.error?.message ?? response.status}`);
    setRunId(body.runId);
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 700));
      const run = (await (await fetch(`/api/v1/ingest-runs/${body.runId}`)).json()) as IngestRunView;
      setStatus(
        `Ingesting: ${run.processed}/${run.total ?? "?"} · ${run.added} new · ${run.duplicates} duplicates · ${run.skipped} skipped`,
      );
      if (run.status === "succeeded" || run.status === "failed") {
        setStatus(
          run.status === "failed"
            ? `Ingest failed: ${run.error}`
            : `Done: ${run.added} new, ${run.duplicates} duplicates, ${run.skipped} skipped.`,
        );
        onIngested();
        return;
      }
    }
  };

  return (
    <div className="drop-area">
      <button
        type="button"
        className={`drop-zone${over ? " over" : ""}`}
        onClick={() => input.current?.click()}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          void upload([...e.dataTransfer.files]);
        }}
      >
        Drop images here to add them as candidates, or click to choose files.
      </button>
      <input
        ref={input}
        type="file"
        accept="image/*"
        multiple
        hidden
        onChange={(e) => void upload([...(e.target.files ?? [])])}
        aria-label="Choose image files"
      />
      {status && (
        <p className="drop-status" role="status">
          {status} {runId !== null && <Link href={`/ingest/${runId}`}>report</Link>}
        </p>
      )}
    </div>
  );
}

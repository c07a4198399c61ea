"use client";

import type { IngestRunView, RunStarted } from "@arbor/usecases";
import Link from "next/link";
import { useRef, useState } from "react";
import { apiGet, apiUpload, messageOf } from "../api-client";

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
    let started: RunStarted;
    try {
      started = await apiUpload<RunStarted>(`/api/v1/synsets/${wnid}/uploads`, form);
    } catch (error) {
      return setStatus(`Upload refused: ${messageOf(error)}`);
    }
    setRunId(started.runId);
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 700));
      let run: IngestRunView;
      try {
        run = await apiGet<IngestRunView>(`/api/v1/ingest-runs/${started.runId}`);
      } catch (error) {
        return setStatus(`Uploaded; its progress could not be read: ${messageOf(error)}`);
      }
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

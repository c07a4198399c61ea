"use client";

import type { RunStarted } from "@arbor/usecases";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiPost } from "../api-client";
import { FormError } from "../form-error";
import { useSubmit } from "../use-submit";

type Kind = "folder" | "csv" | "s3";

const PLACEHOLDER: Record<Kind, string> = {
  folder: "/srv/arbor/imports/imagenet-sample-images",
  csv: "/srv/arbor/imports/urls.csv",
  s3: "s3://bucket/prefix/",
};

/** Starts an ingest run on the server and opens its progress page. */
export function StartIngestForm({ roots }: { roots: string[] }) {
  const router = useRouter();
  const [kind, setKind] = useState<Kind>("folder");

  const { onSubmit, busy, error } = useSubmit(async (form) => {
    const text = (name: string) => {
      const value = String(form.get(name) ?? "").trim();
      return value === "" ? undefined : value;
    };
    const body =
      kind === "s3"
        ? {
            kind,
            url: text("location"),
            mapFile: text("mapFile"),
            synset: text("synset"),
            trusted: form.has("trusted"),
          }
        : kind === "folder"
          ? {
              kind,
              path: text("location"),
              mapFile: text("mapFile"),
              synset: text("synset"),
              trusted: form.has("trusted"),
            }
          : { kind, path: text("location"), trusted: form.has("trusted") };
    const { runId } = await apiPost<RunStarted>("/api/v1/ingest-runs", body);
    router.push(`/ingest/${runId}`);
  });

  return (
    <form className="form" onSubmit={onSubmit}>
      <label>
        Source
        <select value={kind} onChange={(e) => setKind(e.target.value as Kind)} name="kind">
          <option value="folder">Folder on the server (wnid/ folders, wnid_*.jpg files, or a label map)</option>
          <option value="csv">CSV/TSV of url,wnid on the server</option>
          <option value="s3">S3 bucket/prefix (incremental)</option>
        </select>
      </label>
      <label>
        {kind === "s3" ? "S3 URL" : "Path"}
        <input type="text" name="location" required placeholder={PLACEHOLDER[kind]} />
        {kind !== "s3" && <span className="muted">Must lie inside {roots.join(" or ")} (ARBOR_INGEST_ROOTS).</span>}
      </label>
      {kind !== "csv" && (
        <div className="row">
          <label style={{ flex: 1 }}>
            Label map (optional)
            <input type="text" name="mapFile" placeholder="/srv/arbor/imports/cifar10.map" />
          </label>
          <label style={{ flex: 1 }}>
            All to one synset (optional)
            <input type="text" name="synset" placeholder="n02084071" pattern="n\d{8}" />
          </label>
        </div>
      )}
      <label className="row">
        <input type="checkbox" name="trusted" /> Trusted: import labels as verified (an already-curated dataset)
      </label>
      <FormError error={error} />
      <div>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? "Starting…" : "Start ingest"}
        </button>
      </div>
    </form>
  );
}

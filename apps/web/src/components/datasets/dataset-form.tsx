"use client";

import type { ClassPreview } from "@arbor/usecases";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { ConflictList, PreviewTable } from "./class-preview";
import { type ApiError, type ClassMode, type Conflicts, definitionFrom, type SplitMode } from "./definition-from-form";

async function post(url: string, body: unknown): Promise<{ ok: true; body: unknown } | { ok: false; error: ApiError }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = await response.json().catch(() => null);
  if (response.ok) return { ok: true, body: json };
  const error = json?.error;
  return {
    ok: false,
    error: {
      message: error?.message ?? `failed (${response.status})`,
      conflicts: Array.isArray(error?.detail?.conflicts) ? error.detail.conflicts : undefined,
    },
  };
}

/**
 * Defines and freezes a dataset version. Every field stays as typed when the server refuses (onSubmit +
 * fetch, never a form action, which would reset the form); fields of the modes not chosen are hidden, not
 * unmounted, so switching back and forth loses nothing.
 */
export function DatasetForm() {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [classMode, setClassMode] = useState<ClassMode>("wnids");
  const [splitMode, setSplitMode] = useState<SplitMode>("fractions");
  const [conflicts, setConflicts] = useState<Conflicts>("report");
  const [preview, setPreview] = useState<ClassPreview | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<"preview" | "freeze" | null>(null);

  const definition = (resolution = conflicts) =>
    definitionFrom(new FormData(formRef.current ?? undefined), classMode, splitMode, resolution);

  const runPreview = async (resolution = conflicts) => {
    setBusy("preview");
    setError(null);
    try {
      const result = await post("/api/v1/datasets/preview", definition(resolution));
      if (result.ok) setPreview(result.body as ClassPreview);
      else {
        setPreview(null);
        setError(result.error);
      }
    } finally {
      setBusy(null);
    }
  };

  const freeze = async () => {
    setBusy("freeze");
    setError(null);
    try {
      const result = await post("/api/v1/datasets", definition());
      if (!result.ok) return setError(result.error);
      router.push(`/datasets/${(result.body as { versionId: number }).versionId}`);
      router.refresh();
    } finally {
      setBusy(null);
    }
  };

  const resolve = (resolution: Conflicts) => {
    setConflicts(resolution);
    void runPreview(resolution);
  };

  const shownConflicts = preview?.conflicts ?? error?.conflicts ?? [];
  return (
    <form
      ref={formRef}
      className="form dataset-form"
      onSubmit={(event) => {
        event.preventDefault();
        void freeze();
      }}
    >
      <div className="dataset-fields">
        <div className="row">
          <label style={{ flex: 1 }}>
            Name
            <input type="text" name="name" placeholder="dogs-120" maxLength={100} required />
          </label>
          <label style={{ width: "8rem" }}>
            Seed
            <input type="number" name="seed" defaultValue={0} min={0} step={1} />
          </label>
        </div>
        <label>
          Description
          <textarea name="description" rows={2} maxLength={2000} placeholder="What this version is for (optional)" />
        </label>

        <fieldset>
          <legend>Classes</legend>
          <div className="segmented" role="radiogroup" aria-label="Class set">
            {(
              [
                ["wnids", "Explicit wnids"],
                ["subtree", "Subtrees"],
                ["ilsvrc2012", "ILSVRC-2012 (1000 classes)"],
              ] as const
            ).map(([value, label]) => (
              <label key={value} className={classMode === value ? "on" : undefined}>
                <input
                  type="radio"
                  name="classMode"
                  value={value}
                  checked={classMode === value}
                  onChange={() => setClassMode(value)}
                />
                {label}
              </label>
            ))}
          </div>
          <label hidden={classMode !== "wnids"}>
            Wnids (one per line, or separated by spaces or commas)
            <textarea name="wnids" rows={4} className="mono" placeholder={"n02085620\nn02085782\nn02085936"} />
          </label>
          <div className="row" hidden={classMode !== "subtree"}>
            <label style={{ flex: 1 }}>
              Roots (every synset below them with images becomes a class)
              <input type="text" name="roots" className="mono" placeholder="n02084071 n02121808" />
            </label>
            <label style={{ width: "10rem" }}>
              Min images per synset
              <input type="number" name="minImages" defaultValue={1} min={1} step={1} />
            </label>
          </div>
          <p className="muted small" hidden={classMode !== "ilsvrc2012"}>
            The 1000 classes of the ImageNet Large Scale Visual Recognition Challenge 2012.
          </p>
          <label className="check">
            <input type="checkbox" name="includeDescendants" /> Include descendants (a class also takes the images of
            the synsets below it)
          </label>
          <label>
            When a class is an ancestor of another
            <select
              name="conflicts"
              value={conflicts}
              onChange={(event) => setConflicts(event.target.value as Conflicts)}
            >
              <option value="report">refuse to freeze, and list the conflicts</option>
              <option value="drop-ancestors">drop the ancestors (keep the more specific classes)</option>
              <option value="drop-descendants">drop the descendants (keep the more general classes)</option>
            </select>
          </label>
        </fieldset>

        <fieldset>
          <legend>Images</legend>
          <div className="policy-grid">
            <label>
              Labels that count
              <select name="links" defaultValue="verified">
                <option value="verified">verified</option>
                <option value="verified-and-candidates">verified + candidates</option>
              </select>
            </label>
            <label>
              Min per class
              <input type="number" name="minPerClass" defaultValue={1} min={1} step={1} />
            </label>
            <label>
              Max per class
              <input type="number" name="maxPerClass" min={1} step={1} placeholder="no limit" />
            </label>
          </div>
        </fieldset>

        <fieldset>
          <legend>Splits</legend>
          <div className="segmented" role="radiogroup" aria-label="Split mode">
            {(
              [
                ["fractions", "Fractions"],
                ["counts", "Counts per class"],
              ] as const
            ).map(([value, label]) => (
              <label key={value} className={splitMode === value ? "on" : undefined}>
                <input
                  type="radio"
                  name="splitMode"
                  value={value}
                  checked={splitMode === value}
                  onChange={() => setSplitMode(value)}
                />
                {label}
              </label>
            ))}
          </div>
          <div className="policy-grid" hidden={splitMode !== "fractions"}>
            <label>
              Train
              <input type="number" name="train" defaultValue={0.8} min={0} max={1} step="any" />
            </label>
            <label>
              Val
              <input type="number" name="val" defaultValue={0.1} min={0} max={1} step="any" />
            </label>
            <label>
              Test
              <input type="number" name="test" defaultValue={0.1} min={0} max={1} step="any" />
            </label>
          </div>
          <div className="policy-grid" hidden={splitMode !== "counts"}>
            <label>
              Val images per class
              <input type="number" name="valCount" defaultValue={50} min={0} step={1} />
            </label>
            <label>
              Test images per class
              <input type="number" name="testCount" defaultValue={50} min={0} step={1} />
            </label>
            <p className="muted small" style={{ alignSelf: "end", margin: 0 }}>
              The rest of each class goes to train.
            </p>
          </div>
        </fieldset>

        {error && (
          <p className="error" role="alert">
            {error.message}
          </p>
        )}

        <div className="row">
          <button type="button" className="button" disabled={busy !== null} onClick={() => void runPreview()}>
            {busy === "preview" ? "Previewing…" : "Preview classes"}
          </button>
          <button type="submit" className="button primary" disabled={busy !== null}>
            {busy === "freeze" ? "Freezing…" : "Freeze version"}
          </button>
          <Link href="/datasets" className="muted">
            Cancel
          </Link>
        </div>
      </div>
      <aside className="dataset-side">
        {shownConflicts.length > 0 && (
          <ConflictList conflicts={shownConflicts} resolution={conflicts} onResolve={resolve} />
        )}
        {preview ? (
          <PreviewTable preview={preview} />
        ) : (
          shownConflicts.length === 0 && (
            <p className="empty" style={{ margin: 0 }}>
              <b>Preview classes</b> shows which synsets would become classes, how many usable images each has, and any
              class that is an ancestor of another. Nothing is written until you freeze.
            </p>
          )
        )}
      </aside>
    </form>
  );
}

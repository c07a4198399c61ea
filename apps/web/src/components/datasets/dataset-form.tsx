"use client";

import type { ClassPreview, DatasetVersionCreated, FreezeRunView } from "@arbor/usecases";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { ApiError, apiPost } from "../api-client";
import { FormError } from "../form-error";
import { useSubmit } from "../use-submit";
import { ConflictList, PreviewTable } from "./class-preview";
import { type ClassMode, type Conflicts, conflictsIn, definitionFrom, type SplitMode } from "./definition-from-form";
import { FreezeProgress } from "./freeze-progress";

const CLASS_MODES: ReadonlyArray<readonly [ClassMode, string]> = [
  ["wnids", "Explicit wnids"],
  ["subtree", "Subtrees"],
  ["ilsvrc2012", "ILSVRC-2012 (1000 classes)"],
];
const SPLIT_MODES: ReadonlyArray<readonly [SplitMode, string]> = [
  ["fractions", "Fractions"],
  ["counts", "Counts per class"],
];

/**
 * Defines and freezes a dataset version. Every field stays as typed when the server refuses (`useSubmit`:
 * onSubmit, never a form action, which would reset the form); fields of the modes not chosen are hidden, not
 * unmounted, so switching back and forth loses nothing.
 */
export function DatasetForm() {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [classMode, setClassMode] = useState<ClassMode>("wnids");
  const [splitMode, setSplitMode] = useState<SplitMode>("fractions");
  const [conflicts, setConflicts] = useState<Conflicts>("report");
  const [preview, setPreview] = useState<ClassPreview | null>(null);

  const definition = (form: FormData, resolution = conflicts) => definitionFrom(form, classMode, splitMode, resolution);

  // A freeze is a job: a small one ends within the wait (201, or its refusal), a large one answers 202 with the
  // run, whose progress shows below the form until it ends.
  const [freezing, setFreezing] = useState<FreezeRunView | null>(null);
  const [failedRun, setFailedRun] = useState<FreezeRunView | null>(null);
  const { onSubmit, run, pending, error } = useSubmit(async (form) => {
    setFreezing(null);
    setFailedRun(null);
    const answer = await apiPost<DatasetVersionCreated | FreezeRunView>("/api/v1/datasets", definition(form), {
      query: { wait: 5 },
    });
    if ("status" in answer) return setFreezing(answer);
    router.push(`/datasets/${answer.versionId}`);
    router.refresh();
  });

  const runPreview = (resolution = conflicts) =>
    run(async () => {
      try {
        const form = new FormData(formRef.current ?? undefined);
        setPreview(await apiPost<ClassPreview>("/api/v1/datasets/preview", definition(form, resolution)));
      } catch (refused) {
        setPreview(null);
        throw refused;
      }
    }, "preview");

  const resolve = (resolution: Conflicts) => {
    setConflicts(resolution);
    void runPreview(resolution);
  };

  // A refused freeze (422) lists its conflicts in the error's detail.
  const shownConflicts =
    preview?.conflicts ??
    (error instanceof ApiError ? conflictsIn(error.detail) : failedRun ? conflictsIn(failedRun.errorDetail) : []);
  return (
    <form ref={formRef} className="form dataset-form" onSubmit={onSubmit}>
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
          <Segmented
            label="Class set"
            name="classMode"
            value={classMode}
            onChange={setClassMode}
            options={CLASS_MODES}
          />
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
          <Segmented
            label="Split mode"
            name="splitMode"
            value={splitMode}
            onChange={setSplitMode}
            options={SPLIT_MODES}
          />
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
          <label className="check">
            <input type="checkbox" name="withholdTestLabels" /> Withhold the test labels (a held-out test set: only you
            and admins see its images&apos; labels, and only you and admins may export them)
          </label>
        </fieldset>

        <FormError error={error} />
        {freezing && <FreezeProgress key={freezing.id} initial={freezing} onFailed={setFailedRun} />}

        <div className="row">
          <button type="button" className="button" disabled={pending !== null} onClick={() => void runPreview()}>
            {pending === "preview" ? "Previewing…" : "Preview classes"}
          </button>
          <button type="submit" className="button primary" disabled={pending !== null}>
            {pending === "submit" ? "Freezing…" : "Freeze version"}
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

/** A radio group drawn as one segmented control (the chosen segment is `on`). */
function Segmented<T extends string>({
  label,
  name,
  value,
  onChange,
  options,
}: {
  label: string;
  name: string;
  value: T;
  onChange: (value: T) => void;
  options: ReadonlyArray<readonly [T, string]>;
}) {
  return (
    <div className="segmented" role="radiogroup" aria-label={label}>
      {options.map(([option, text]) => (
        <label key={option} className={value === option ? "on" : undefined}>
          <input type="radio" name={name} value={option} checked={value === option} onChange={() => onChange(option)} />
          {text}
        </label>
      ))}
    </div>
  );
}

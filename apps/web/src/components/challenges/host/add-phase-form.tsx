"use client";

import type { PhaseAdded } from "@arbor/usecases";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiPost } from "../../api-client";
import { FormError } from "../../form-error";
import { formatCount } from "../../format";
import { useSubmit } from "../../use-submit";
import { utcInputToIso, utcInputValue } from "../challenge-format";
import { fileText, numberField, textField } from "../form-fields";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Adds a phase: its dates (UTC), quotas, board, and hidden ground truth, either a frozen dataset version's
 * split (its images become reserved) or uploaded files (devkit or CSV truth, the class list, optionally the
 * is-a edges for hierarchical scores), read here in the browser and sent as text.
 */
export function AddPhaseForm({ challengeId }: { challengeId: number }) {
  const router = useRouter();
  const [source, setSource] = useState<"version" | "upload">("version");
  const [added, setAdded] = useState<PhaseAdded | null>(null);
  const [defaults] = useState(() => {
    const start = new Date(Math.ceil(Date.now() / DAY_MS) * DAY_MS);
    return { start: utcInputValue(start), end: utcInputValue(new Date(start.getTime() + 30 * DAY_MS)) };
  });
  const { onSubmit, busy, error } = useSubmit(async (form) => {
    setAdded(null);
    const classList = await fileText(form, "classList");
    const truth =
      source === "version"
        ? {
            kind: "version" as const,
            versionId: Number(textField(form, "versionId")),
            split: textField(form, "split"),
            ...(classList ? { classList } : {}),
          }
        : {
            kind: "upload" as const,
            text: (await fileText(form, "truthFile")) ?? "",
            format: textField(form, "truthFormat"),
            ...(classList ? { classList } : {}),
          };
    if (truth.kind === "upload" && truth.text === "") throw new Error("choose the ground truth file");
    const isA = await fileText(form, "isA");
    const publicSeed = textField(form, "publicSeed");
    const phase = await apiPost<PhaseAdded>(`/api/v1/challenges/${challengeId}/phases`, {
      name: textField(form, "name"),
      startsAt: utcInputToIso(textField(form, "startsAt"), "start"),
      endsAt: utcInputToIso(textField(form, "endsAt"), "end"),
      dailyQuota: numberField(form, "dailyQuota"),
      totalQuota: numberField(form, "totalQuota"),
      failureDailyCap: numberField(form, "failureDailyCap"),
      leaderboard: textField(form, "leaderboard"),
      publicFraction: numberField(form, "publicFraction"),
      ...(publicSeed !== "" ? { publicSeed } : {}),
      truth,
      ...(isA ? { isA } : {}),
    });
    setAdded(phase);
    router.refresh();
  });

  return (
    <form className="form wide" onSubmit={onSubmit} aria-label="Add a phase">
      <div className="policy-grid">
        <label>
          Name
          <input type="text" name="name" required maxLength={50} placeholder="test" />
        </label>
        <label>
          Starts (UTC)
          <input type="datetime-local" name="startsAt" required defaultValue={defaults.start} />
        </label>
        <label>
          Ends (UTC)
          <input type="datetime-local" name="endsAt" required defaultValue={defaults.end} />
        </label>
        <label>
          Per day
          <input type="number" name="dailyQuota" min={1} max={1000} step={1} defaultValue={5} />
        </label>
        <label>
          In all
          <input type="number" name="totalQuota" min={1} max={100_000} step={1} defaultValue={100} />
        </label>
        <label>
          Refused files a day
          <input type="number" name="failureDailyCap" min={1} max={1000} step={1} defaultValue={20} />
        </label>
        <label>
          Leaderboard
          <select name="leaderboard" defaultValue="public">
            <option value="public">public while it runs</option>
            <option value="hidden_until_end">hidden until the end</option>
          </select>
        </label>
        <label>
          Public fraction
          <input type="number" name="publicFraction" min={0.01} max={0.99} step={0.01} placeholder="default" />
        </label>
        <label>
          Public split seed
          <input type="text" name="publicSeed" maxLength={100} placeholder="random" />
        </label>
      </div>
      <fieldset>
        <legend>Ground truth</legend>
        <div className="row">
          <label className="check">
            <input type="radio" name="source" checked={source === "version"} onChange={() => setSource("version")} /> A
            dataset version&apos;s split
          </label>
          <label className="check">
            <input type="radio" name="source" checked={source === "upload"} onChange={() => setSource("upload")} />{" "}
            Uploaded files
          </label>
        </div>
        {source === "version" ? (
          <div className="policy-grid">
            <label>
              Dataset version id
              <input type="number" name="versionId" min={1} step={1} required />
            </label>
            <label>
              Split
              <select name="split" defaultValue="test">
                <option value="test">test</option>
                <option value="val">val</option>
                <option value="train">train</option>
              </select>
            </label>
          </div>
        ) : (
          <div className="policy-grid">
            <label>
              Truth file
              <input type="file" name="truthFile" accept=".txt,.csv,text/plain,text/csv" required />
            </label>
            <label>
              Truth format
              <select name="truthFormat" defaultValue="devkit">
                <option value="devkit">devkit (one class index per line)</option>
                <option value="csv">CSV (image_id,wnid)</option>
              </select>
            </label>
          </div>
        )}
        <div className="policy-grid">
          <label>
            Class list (map_clsloc.txt){source === "version" ? ", optional" : ", needed for devkit"}
            <input type="file" name="classList" accept=".txt,text/plain" />
          </label>
          <label>
            Is-a edges (wordnet.is_a.txt), optional
            <input type="file" name="isA" accept=".txt,text/plain" />
          </label>
        </div>
      </fieldset>
      <FormError error={error} className="error pre-wrap" />
      {added && (
        <p className="ok" role="status">
          Phase {added.id} added: {formatCount(added.images)} test images, {formatCount(added.classes)} classes
          {added.hierarchyFingerprint ? ", hierarchical scores" : ""}
          {added.restrictedImages > 0 ? `; ${formatCount(added.restrictedImages)} images newly reserved` : ""}.
        </p>
      )}
      <div>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? "Adding…" : "Add phase"}
        </button>
      </div>
    </form>
  );
}

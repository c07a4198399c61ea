"use client";

import type { BaselineRegistered, ChallengePhaseDetail, PhaseReleased, TruthRevised } from "@arbor/usecases";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiPatch, apiPost, apiPut } from "../../api-client";
import { FormError } from "../../form-error";
import { formatCount } from "../../format";
import { useSubmit } from "../../use-submit";
import { formatUtc, guessSubmissionFormat, utcInputToIso, utcInputValue } from "../challenge-format";
import { fileText, numberField, textField } from "../form-fields";

/** The host's actions on one phase: change it, release it, revise its truth, register a baseline. */
export function PhaseActions({ phase }: { phase: ChallengePhaseDetail }) {
  return (
    <div className="phase-actions">
      <EditPhase phase={phase} />
      <ReleasePhase phase={phase} />
      <ReviseTruth phase={phase} />
      <RegisterBaseline phase={phase} />
    </div>
  );
}

/** Dates, quotas, board visibility, post-challenge board, or end it now (an ended phase: only the latter). */
function EditPhase({ phase }: { phase: ChallengePhaseDetail }) {
  const router = useRouter();
  const [notice, setNotice] = useState<string | null>(null);
  const ended = phase.state === "ended";
  const { onSubmit, run, busy, pending, error } = useSubmit(async (form) => {
    setNotice(null);
    // A date goes only when changed: the field holds minutes, and resending a rounded end would move it.
    const changed = (name: string, original: string, what: string) => {
      const value = textField(form, name);
      return value === utcInputValue(new Date(original)) ? undefined : utcInputToIso(value, what);
    };
    const changes = ended
      ? { postChallenge: form.has("postChallenge") }
      : {
          ...(phase.state === "upcoming" ? { startsAt: changed("startsAt", phase.startsAt, "start") } : {}),
          endsAt: changed("endsAt", phase.endsAt, "end"),
          dailyQuota: numberField(form, "dailyQuota"),
          totalQuota: numberField(form, "totalQuota"),
          failureDailyCap: numberField(form, "failureDailyCap"),
          leaderboard: textField(form, "leaderboard"),
          postChallenge: form.has("postChallenge"),
        };
    await apiPatch(`/api/v1/phases/${phase.id}`, changes);
    setNotice("Saved.");
    router.refresh();
  });
  const endNow = () =>
    void run(async () => {
      setNotice(null);
      if (!window.confirm(`End ${phase.name} now? Its private ranking is revealed, and it cannot be undone.`)) return;
      await apiPatch(`/api/v1/phases/${phase.id}`, { endsAt: "now" });
      setNotice("Ended.");
      router.refresh();
    }, "end");

  return (
    <details>
      <summary>Change the phase</summary>
      <form className="form wide" onSubmit={onSubmit} aria-label={`Change phase ${phase.name}`}>
        {ended ? (
          <p className="muted small">The phase has ended: only its post-challenge board can change.</p>
        ) : (
          <div className="policy-grid">
            <label>
              Starts (UTC)
              <input
                type="datetime-local"
                name="startsAt"
                defaultValue={utcInputValue(new Date(phase.startsAt))}
                disabled={phase.state !== "upcoming"}
                title={phase.state !== "upcoming" ? "the phase has started: its start is fixed" : undefined}
              />
            </label>
            <label>
              Ends (UTC)
              <input
                type="datetime-local"
                name="endsAt"
                required
                defaultValue={utcInputValue(new Date(phase.endsAt))}
              />
            </label>
            <label>
              Per day
              <input type="number" name="dailyQuota" min={1} max={1000} step={1} defaultValue={phase.dailyQuota} />
            </label>
            <label>
              In all
              <input type="number" name="totalQuota" min={1} max={100_000} step={1} defaultValue={phase.totalQuota} />
            </label>
            <label>
              Refused files a day
              <input
                type="number"
                name="failureDailyCap"
                min={1}
                max={1000}
                step={1}
                defaultValue={phase.failureDailyCap}
              />
            </label>
            <label>
              Leaderboard
              <select name="leaderboard" defaultValue={phase.leaderboard}>
                <option value="public">public while it runs</option>
                <option value="hidden_until_end">hidden until the end</option>
              </select>
            </label>
          </div>
        )}
        <label className="check">
          <input type="checkbox" name="postChallenge" defaultChecked={phase.postChallenge} /> Post-challenge board
          (score late submissions after the end)
        </label>
        <FormError error={error} />
        {notice && (
          <p className="ok" role="status">
            {notice}
          </p>
        )}
        <div className="row">
          <button type="submit" className="button primary" disabled={busy}>
            {pending === "submit" ? "Saving…" : "Save"}
          </button>
          {phase.state === "running" && (
            <button type="button" className="button" disabled={busy} onClick={endNow}>
              {pending === "end" ? "Ending…" : "End now"}
            </button>
          )}
        </div>
      </form>
    </details>
  );
}

/** After the end: the phase's hidden images stop being reserved (a version split's images show again). */
function ReleasePhase({ phase }: { phase: ChallengePhaseDetail }) {
  const router = useRouter();
  const [released, setReleased] = useState<PhaseReleased | null>(null);
  const { run, busy, error } = useSubmit();
  if (phase.released)
    return <p className="muted small">Released: the test images are no longer reserved for the challenge.</p>;
  return (
    <div className="row wrap">
      <button
        type="button"
        className="button"
        disabled={busy || phase.state !== "ended"}
        title={phase.state !== "ended" ? "a phase can be released once it has ended" : undefined}
        onClick={() =>
          void run(async () => {
            setReleased(await apiPost<PhaseReleased>(`/api/v1/phases/${phase.id}/release`));
            router.refresh();
          })
        }
      >
        {busy ? "Releasing…" : "Release the test images"}
      </button>
      <span className="muted small">
        {phase.state === "ended"
          ? "Ends the reservation of the test images (their labels show on the site again)."
          : `Possible once the phase has ended (${formatUtc(phase.endsAt)}).`}
      </span>
      {released && (
        <span className="ok small" role="status">
          Released {formatCount(released.images)} images.
        </span>
      )}
      <FormError error={error} className="error small" />
    </div>
  );
}

/** A corrected ground truth: a new revision, every scored submission queued to be scored again. */
function ReviseTruth({ phase }: { phase: ChallengePhaseDetail }) {
  const router = useRouter();
  const [revised, setRevised] = useState<TruthRevised | null>(null);
  const { onSubmit, busy, error } = useSubmit(async (form) => {
    setRevised(null);
    const text = await fileText(form, "truth");
    if (!text) throw new Error("choose the corrected ground truth file");
    const classList = await fileText(form, "classList");
    setRevised(
      await apiPut<TruthRevised>(`/api/v1/phases/${phase.id}/truth`, {
        text,
        format: textField(form, "format"),
        ...(classList ? { classList } : {}),
      }),
    );
    router.refresh();
  });
  return (
    <details>
      <summary>Revise the ground truth (now revision {phase.truthRevision})</summary>
      <form className="form wide" onSubmit={onSubmit} aria-label={`Revise the ground truth of ${phase.name}`}>
        <p className="muted small" style={{ margin: 0 }}>
          {phase.truthSource === "version"
            ? "This phase's images come from a dataset version: give CSV image_id,wnid keyed by the split's dataset image ids."
            : "In the phase's own format; the classes cannot change, only labels."}
        </p>
        <div className="policy-grid">
          <label>
            Corrected truth file
            <input type="file" name="truth" required accept=".txt,.csv,text/plain,text/csv" />
          </label>
          <label>
            Format
            <select name="format" defaultValue={phase.truthSource === "version" ? "csv" : "devkit"}>
              <option value="devkit">devkit</option>
              <option value="csv">CSV</option>
            </select>
          </label>
          <label>
            Class list (optional: the phase&apos;s own)
            <input type="file" name="classList" accept=".txt,text/plain" />
          </label>
        </div>
        <FormError error={error} className="error pre-wrap" />
        {revised && (
          <p className="ok" role="status">
            Revision {revised.revision}: {formatCount(revised.requeued)} submissions queued to be scored again.
          </p>
        )}
        <div>
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? "Uploading…" : "Upload revision"}
          </button>
        </div>
      </form>
    </details>
  );
}

/** A registry model's predictions, shown on the board as an unranked baseline. */
function RegisterBaseline({ phase }: { phase: ChallengePhaseDetail }) {
  const router = useRouter();
  const [registered, setRegistered] = useState<BaselineRegistered | null>(null);
  const { onSubmit, busy, error } = useSubmit(async (form) => {
    setRegistered(null);
    const value = form.get("predictions");
    const content = await fileText(form, "predictions");
    if (!content || !(value instanceof File)) throw new Error("choose the model's predictions file");
    const chosen = textField(form, "format");
    const format = chosen === "auto" ? guessSubmissionFormat(value.name, content) : chosen;
    if (format === null) throw new Error(`could not tell the format of ${value.name}: choose it`);
    setRegistered(
      await apiPost<BaselineRegistered>(`/api/v1/phases/${phase.id}/baselines`, {
        modelId: Number(textField(form, "modelId")),
        format,
        content,
      }),
    );
    router.refresh();
  });
  return (
    <details>
      <summary>Register a baseline</summary>
      <form className="form wide" onSubmit={onSubmit} aria-label={`Register a baseline for ${phase.name}`}>
        <div className="policy-grid">
          <label>
            Model id
            <input type="number" name="modelId" min={1} step={1} required />
          </label>
          <label>
            Predictions file
            <input type="file" name="predictions" required accept=".txt,.csv,.jsonl,.json,text/plain,text/csv" />
          </label>
          <label>
            Format
            <select name="format" defaultValue="auto">
              <option value="auto">detect</option>
              <option value="devkit">devkit</option>
              <option value="csv">CSV</option>
              <option value="jsonl">JSON lines</option>
            </select>
          </label>
        </div>
        <FormError error={error} className="error pre-wrap" />
        {registered && (
          <p className="ok" role="status">
            {registered.duplicate ? "Registered before" : "Registered"}: submission {registered.id} of {registered.team}{" "}
            ({registered.status}).
          </p>
        )}
        <div>
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? "Registering…" : "Register baseline"}
          </button>
        </div>
      </form>
    </details>
  );
}

"use client";

import type { SubmissionAccepted } from "@arbor/usecases";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { ApiError, apiPostText } from "../api-client";
import { FormError } from "../form-error";
import { useSubmit } from "../use-submit";
import { formatBytes, formatUtc, guessSubmissionFormat, type SubmissionFormat } from "./challenge-format";

const FORMATS: Array<{ value: SubmissionFormat | "auto"; label: string }> = [
  { value: "auto", label: "Detect (from the name or first line)" },
  { value: "devkit", label: "devkit (line i: 5 class indices for test image i)" },
  { value: "csv", label: "CSV (image_id,predictions)" },
  { value: "jsonl", label: "JSON lines ({imageId, wnids})" },
];

/** What refused a submission, as the API said it; a quota refusal adds when the next slot opens. */
function describeRefusal(error: unknown): unknown {
  if (error instanceof ApiError && error.status === 429) {
    const next = (error.detail as { nextSlotAt?: unknown } | undefined)?.nextSlotAt;
    if (typeof next !== "string") return error;
    // The server's message names the instant in ISO form; say it the way the page writes times.
    if (error.message.includes(next)) return new Error(error.message.replace(next, formatUtc(next)));
    return new Error(`${error.message}\nThe next slot opens at ${formatUtc(next)}.`);
  }
  return error;
}

/**
 * Sends a predictions file to a phase: dropped or picked, then sent with the Submit button (each accepted
 * file uses up a slot of the quota, so nothing is sent on the drop itself). The file's text goes as the
 * request body; a refused file's every problem is shown as the server listed them.
 */
export function SubmitPanel({ phaseId, maxBytes, late }: { phaseId: number; maxBytes: number; late: boolean }) {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<SubmissionFormat | "auto">("auto");
  const [pickError, setPickError] = useState<Error | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { run, busy, error } = useSubmit();

  const choose = (files: FileList | File[] | null) => {
    const chosen = files ? ([...files][0] ?? null) : null;
    setPickError(null);
    setNotice(null);
    if (chosen && chosen.size > maxBytes) {
      setFile(null);
      setPickError(
        new Error(`${chosen.name} is ${formatBytes(chosen.size)}: a submission holds at most ${formatBytes(maxBytes)}`),
      );
      return;
    }
    setFile(chosen);
  };

  const send = async (picked: File) => {
    setNotice(null);
    try {
      const text = await picked.text();
      // Undetected here: the server reads the first line itself, and says what it expected when it cannot.
      const chosen = format === "auto" ? guessSubmissionFormat(picked.name, text) : format;
      const accepted = await apiPostText<SubmissionAccepted>(
        `/api/v1/phases/${phaseId}/submissions`,
        text,
        "text/plain; charset=utf-8",
        { query: { format: chosen } },
      );
      const left = `${accepted.remainingToday} left today, ${accepted.remainingTotal} in all`;
      setNotice(
        accepted.duplicate
          ? `The same file was submitted before (submission ${accepted.id}); no slot was used. ${left}.`
          : `Submission ${accepted.id} accepted${chosen ? ` as ${chosen}` : ""}: ${accepted.status}. ${left}${
              accepted.nextSlotAt ? `; the next slot opens at ${formatUtc(accepted.nextSlotAt)}` : ""
            }.`,
      );
      setFile(null);
      if (input.current) input.current.value = "";
      router.refresh();
    } catch (thrown) {
      throw describeRefusal(thrown);
    }
  };

  return (
    <div className="submit-panel stack" style={{ gap: "0.75rem" }}>
      {late && (
        <p className="muted small" style={{ margin: 0 }}>
          The phase has ended: a submission now is late, scored on the post-challenge board only.
        </p>
      )}
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
          choose(e.dataTransfer.files);
        }}
      >
        {file ? (
          <span>
            <b className="mono">{file.name}</b> ({formatBytes(file.size)}): press Submit to send it, or drop another
            file.
          </span>
        ) : (
          <span>Drop a predictions file here, or click to choose one.</span>
        )}
      </button>
      <input
        ref={input}
        type="file"
        accept=".txt,.csv,.jsonl,.ndjson,.json,text/plain,text/csv"
        hidden
        onChange={(e) => choose(e.target.files)}
        aria-label="Choose a predictions file"
      />
      <div className="form submit-row">
        <label>
          Format
          <select value={format} onChange={(e) => setFormat(e.target.value as SubmissionFormat | "auto")}>
            {FORMATS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="button primary"
          disabled={!file || busy}
          onClick={() => file && void run(() => send(file))}
        >
          {busy ? "Sending…" : "Submit"}
        </button>
      </div>
      <FormError error={pickError ?? error} className="error submit-error" />
      {notice && (
        <p className="ok" role="status">
          {notice}
        </p>
      )}
    </div>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiPut } from "../../api-client";
import { FormError } from "../../form-error";
import { useSubmit } from "../../use-submit";

/** Flags a submission off the boards (with the reason the team sees nowhere but the host does), or clears it. */
export function FlagButton({ submissionId, flagged }: { submissionId: number; flagged: boolean }) {
  const router = useRouter();
  const [asking, setAsking] = useState(false);
  const { onSubmit, run, busy, error } = useSubmit(async (form) => {
    await apiPut(`/api/v1/submissions/${submissionId}/flag`, { reason: String(form.get("reason") ?? "").trim() });
    setAsking(false);
    router.refresh();
  });
  if (flagged)
    return (
      <>
        <button
          type="button"
          className="link-button small"
          disabled={busy}
          onClick={() =>
            void run(async () => {
              await apiPut(`/api/v1/submissions/${submissionId}/flag`, { reason: null });
              router.refresh();
            })
          }
        >
          Unflag
        </button>
        <FormError error={error} className="error small" />
      </>
    );
  if (!asking)
    return (
      <button type="button" className="link-button small" onClick={() => setAsking(true)}>
        Flag
      </button>
    );
  return (
    <form className="flag-form" onSubmit={onSubmit}>
      <label>
        <span className="visually-hidden">Why submission {submissionId} is flagged</span>
        <input type="text" name="reason" required maxLength={500} placeholder="reason" />
      </label>
      <button type="submit" className="button small" disabled={busy}>
        Flag
      </button>
      <button type="button" className="link-button small" onClick={() => setAsking(false)}>
        Cancel
      </button>
      <FormError error={error} className="error small" />
    </form>
  );
}

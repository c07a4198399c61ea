"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiPost } from "../api-client";
import { FormError } from "../form-error";
import { useSubmit } from "../use-submit";

/**
 * Joins a challenge: the rules must be accepted (the checkbox is required, and the API refuses without it).
 * With teams of more than one, a new team (named, or after the user) or an existing one by its id.
 */
export function JoinForm({ challengeId, teamSizeLimit }: { challengeId: number; teamSizeLimit: number }) {
  const router = useRouter();
  const [mode, setMode] = useState<"new" | "existing">("new");
  const { onSubmit, busy, error } = useSubmit(async (form) => {
    const teamName = String(form.get("teamName") ?? "").trim();
    const inviteCode = String(form.get("inviteCode") ?? "").trim();
    await apiPost(`/api/v1/challenges/${challengeId}/join`, {
      acceptRules: form.has("acceptRules"),
      ...(mode === "new" && teamName !== "" ? { teamName } : {}),
      ...(mode === "existing" ? { inviteCode } : {}),
    });
    router.refresh();
  });
  return (
    <form className="form" onSubmit={onSubmit} aria-label="Join the challenge">
      {teamSizeLimit > 1 && (
        <fieldset>
          <legend>Team (up to {teamSizeLimit} members)</legend>
          <label className="check">
            <input type="radio" name="mode" checked={mode === "new"} onChange={() => setMode("new")} /> Start a team
          </label>
          {mode === "new" && (
            <label>
              Team name (optional; default: your name)
              <input type="text" name="teamName" maxLength={100} />
            </label>
          )}
          <label className="check">
            <input type="radio" name="mode" checked={mode === "existing"} onChange={() => setMode("existing")} /> Join a
            team by its invite code
          </label>
          {mode === "existing" && (
            <label>
              Invite code (a member of the team sees it on this page)
              <input type="text" name="inviteCode" maxLength={64} autoComplete="off" required />
            </label>
          )}
        </fieldset>
      )}
      <label className="check">
        <input type="checkbox" name="acceptRules" required /> I accept the rules
      </label>
      <FormError error={error} />
      <div>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? "Joining…" : "Join the challenge"}
        </button>
      </div>
    </form>
  );
}

"use client";

import { apiPost } from "../api-client";
import { FormError } from "../form-error";
import { useSubmit } from "../use-submit";
import { safeNextPath } from "./safe-next-path";

/** Email + password form posting JSON to an auth endpoint, then going to `next` (a path on this site only). */
export function CredentialsForm({
  endpoint,
  submitLabel,
  next,
  withName = false,
}: {
  endpoint: string;
  submitLabel: string;
  next: string;
  /** The first-run form: a name too, and a new password (with its rules). */
  withName?: boolean;
}) {
  const { onSubmit, busy, error } = useSubmit(async (form) => {
    await apiPost(endpoint, Object.fromEntries([...form.entries()].filter(([, v]) => v !== "")));
    // A full navigation, so every server-rendered part (the header's account) sees the new session.
    window.location.assign(safeNextPath(next));
  });
  return (
    <form className="form" onSubmit={onSubmit}>
      {withName && (
        <label>
          Name
          <input type="text" name="name" autoComplete="name" />
        </label>
      )}
      <label>
        Email
        <input type="text" name="email" autoComplete="email" inputMode="email" required />
      </label>
      <label>
        Password
        <input type="password" name="password" autoComplete={withName ? "new-password" : "current-password"} required />
      </label>
      {withName && (
        <p className="muted small" style={{ margin: 0 }}>
          At least 10 characters and hard to guess: a few uncommon words work well; not your name or email.
        </p>
      )}
      <FormError error={error} />
      <div>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? "…" : submitLabel}
        </button>
      </div>
    </form>
  );
}

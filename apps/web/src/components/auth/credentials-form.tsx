"use client";

import { useState } from "react";

/** Email + password form posting JSON to an auth endpoint, then going to `next`. */
export function CredentialsForm({
  endpoint,
  submitLabel,
  next,
  withName = false,
}: {
  endpoint: string;
  submitLabel: string;
  next: string;
  withName?: boolean;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (form: FormData) => {
    setBusy(true);
    setError(null);
    const body = Object.fromEntries([...form.entries()].filter(([, v]) => v !== ""));
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    setBusy(false);
    if (!response.ok) return setError((await response.json()).error?.message ?? `failed (${response.status})`);
    // A full navigation, so every server-rendered part (the header's account) sees the new session.
    window.location.assign(next.startsWith("/") && !next.startsWith("//") ? next : "/");
  };
  return (
    <form
      className="form"
      // onSubmit, not a form action: React resets a form after its action runs, which would wipe what the
      // user typed when the server refuses it.
      onSubmit={(event) => {
        event.preventDefault();
        void submit(new FormData(event.currentTarget));
      }}
    >
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
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? "…" : submitLabel}
        </button>
      </div>
    </form>
  );
}

"use client";

import type { CreatedApiToken } from "@arbor/usecases";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiPost } from "../api-client";
import { FormError } from "../form-error";
import { useSubmit } from "../use-submit";

/** Creates an API token of the signed-in user's and shows its secret, this once. */
export function CreateTokenForm() {
  const router = useRouter();
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const { onSubmit, busy, error } = useSubmit(async (form) => {
    const days = String(form.get("expiresInDays") ?? "");
    const token = await apiPost<CreatedApiToken>("/api/v1/tokens", {
      name: String(form.get("name") ?? ""),
      expiresInDays: days === "never" ? null : Number(days),
    });
    setCreated(token);
    router.refresh();
  });
  return (
    <div className="stack">
      <form className="form" onSubmit={onSubmit}>
        <label>
          Name
          <input type="text" name="name" placeholder="what it is for: laptop, trainer…" maxLength={100} required />
        </label>
        <label>
          Expires
          <select name="expiresInDays" defaultValue="90">
            <option value="7">in 7 days</option>
            <option value="30">in 30 days</option>
            <option value="90">in 90 days</option>
            <option value="365">in a year</option>
            <option value="never">never</option>
          </select>
        </label>
        <FormError error={error} />
        <div>
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? "…" : "Create token"}
          </button>
        </div>
      </form>
      {created && (
        <div className="panel" role="status">
          <p style={{ marginTop: 0 }}>
            Token <strong>{created.name}</strong> created. Copy it now: it is not shown again. Send it as{" "}
            <code>Authorization: Bearer …</code> (the trainer's <code>--token</code>).
          </p>
          <code data-testid="new-token" style={{ wordBreak: "break-all" }}>
            {created.token}
          </code>
        </div>
      )}
    </div>
  );
}

"use client";

import type { ChallengeDetail } from "@arbor/usecases";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiPatch } from "../../api-client";
import { FormError } from "../../form-error";
import { useSubmit } from "../../use-submit";
import { idList, textField } from "../form-fields";

/** The challenge's own settings: title, rules, sign-up, team size, open or closed, the exports it publishes. */
export function SettingsForm({ challenge }: { challenge: ChallengeDetail }) {
  const router = useRouter();
  const [saved, setSaved] = useState(false);
  const { onSubmit, busy, error } = useSubmit(async (form) => {
    setSaved(false);
    await apiPatch(`/api/v1/challenges/${challenge.id}`, {
      title: textField(form, "title"),
      description: String(form.get("description") ?? ""),
      openSignUp: form.has("openSignUp"),
      teamSizeLimit: Number(textField(form, "teamSizeLimit")),
      status: textField(form, "status"),
      exportIds: idList(textField(form, "exportIds"), "published exports"),
    });
    setSaved(true);
    router.refresh();
  });
  return (
    <form className="form wide" onSubmit={onSubmit} onChange={() => setSaved(false)}>
      <label>
        Title
        <input type="text" name="title" required maxLength={200} defaultValue={challenge.title} />
      </label>
      <label>
        Rules (markdown)
        <textarea name="description" rows={12} maxLength={100_000} defaultValue={challenge.description} />
      </label>
      <div className="policy-grid">
        <label>
          Team size limit
          <input
            type="number"
            name="teamSizeLimit"
            min={1}
            max={100}
            step={1}
            required
            defaultValue={challenge.teamSizeLimit}
          />
        </label>
        <label>
          Status
          <select name="status" defaultValue={challenge.status}>
            <option value="open">open</option>
            <option value="closed">closed (no new participants)</option>
          </select>
        </label>
      </div>
      <label className="check">
        <input type="checkbox" name="openSignUp" defaultChecked={challenge.openSignUp} /> Open sign-up (anyone signed in
        may join)
      </label>
      <label>
        Published exports (ids, comma-separated)
        <input
          type="text"
          name="exportIds"
          className="mono"
          defaultValue={challenge.exports.map((e) => e.id).join(", ")}
          placeholder="none"
        />
        <span className="muted small">
          Exports of a dataset version (see its page) that the participants may download here; blank publishes none.
        </span>
      </label>
      <FormError error={error} />
      {saved && (
        <p className="ok" role="status">
          Saved.
        </p>
      )}
      <div>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? "Saving…" : "Save settings"}
        </button>
      </div>
    </form>
  );
}

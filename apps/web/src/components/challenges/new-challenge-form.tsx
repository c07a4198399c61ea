"use client";

import type { challengeCreatedSchema } from "@arbor/usecases";
import { useRouter } from "next/navigation";
import type { z } from "zod";
import { apiPost } from "../api-client";
import { FormError } from "../form-error";
import { useSubmit } from "../use-submit";

/** Creates a challenge (its host is the caller), then opens it. */
export function NewChallengeForm() {
  const router = useRouter();
  const { onSubmit, busy, error } = useSubmit(async (form) => {
    const { id } = await apiPost<z.infer<typeof challengeCreatedSchema>>("/api/v1/challenges", {
      title: String(form.get("title") ?? "").trim(),
      description: String(form.get("description") ?? ""),
      openSignUp: form.has("openSignUp"),
      teamSizeLimit: Number(form.get("teamSizeLimit")),
    });
    router.push(`/challenges/${id}`);
    router.refresh();
  });
  return (
    <form className="form" onSubmit={onSubmit}>
      <label>
        Title
        <input type="text" name="title" required maxLength={200} placeholder="Large Scale Visual Recognition 2026" />
      </label>
      <label>
        Rules (markdown)
        <textarea
          name="description"
          rows={12}
          maxLength={100_000}
          placeholder={"# Rules\n\n- One account per person\n- At most 5 submissions a day\n- No external data"}
        />
        <span className="muted small">
          Headings, lists, **bold**, *emphasis*, `code`, fenced code and [links](https://example.org). Participants
          accept these rules when they join.
        </span>
      </label>
      <div className="row">
        <label>
          Team size limit
          <input type="number" name="teamSizeLimit" min={1} max={100} step={1} defaultValue={1} required />
        </label>
        <label className="check" style={{ alignSelf: "end" }}>
          <input type="checkbox" name="openSignUp" defaultChecked /> Open sign-up (anyone signed in may join)
        </label>
      </div>
      <FormError error={error} />
      <div>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? "Creating…" : "Create challenge"}
        </button>
      </div>
    </form>
  );
}

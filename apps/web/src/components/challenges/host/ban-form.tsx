"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiDelete, apiPost } from "../../api-client";
import { FormError } from "../../form-error";
import { useSubmit } from "../../use-submit";
import { textField } from "../form-fields";

/** Bans a user from the challenge (they can no longer submit, and their team leaves the boards), or lifts it. */
export function BanForm({ challengeId }: { challengeId: number }) {
  const router = useRouter();
  const [notice, setNotice] = useState<string | null>(null);
  const ban = useSubmit(async (form) => {
    setNotice(null);
    const userId = Number(textField(form, "userId"));
    await apiPost(`/api/v1/challenges/${challengeId}/bans`, { userId, reason: textField(form, "reason") });
    setNotice(`User ${userId} is banned from the challenge.`);
    router.refresh();
  });
  const unban = useSubmit(async (form) => {
    setNotice(null);
    const userId = Number(textField(form, "userId"));
    await apiDelete(`/api/v1/challenges/${challengeId}/bans`, { query: { userId } });
    setNotice(`User ${userId} may take part again.`);
    router.refresh();
  });
  return (
    <div className="stack" style={{ gap: "0.75rem" }}>
      <form className="form" onSubmit={ban.onSubmit} aria-label="Ban a user">
        <div className="policy-grid">
          <label>
            User id
            <input type="number" name="userId" min={1} step={1} required />
          </label>
          <label style={{ gridColumn: "span 2" }}>
            Reason
            <input type="text" name="reason" required maxLength={500} placeholder="several accounts" />
          </label>
        </div>
        <FormError error={ban.error} />
        <div>
          <button type="submit" className="button" disabled={ban.busy}>
            {ban.busy ? "Banning…" : "Ban"}
          </button>
        </div>
      </form>
      <form className="form" onSubmit={unban.onSubmit} aria-label="Lift a ban">
        <div className="row">
          <label>
            User id
            <input type="number" name="userId" min={1} step={1} required />
          </label>
          <button type="submit" className="button" disabled={unban.busy} style={{ alignSelf: "end" }}>
            {unban.busy ? "Lifting…" : "Lift the ban"}
          </button>
        </div>
        <FormError error={unban.error} />
      </form>
      {notice && (
        <p className="ok" role="status">
          {notice}
        </p>
      )}
    </div>
  );
}

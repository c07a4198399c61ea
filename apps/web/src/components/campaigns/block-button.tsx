"use client";

import { useRouter } from "next/navigation";
import { apiPost } from "../api-client";
import { FormError } from "../form-error";
import { useSubmit } from "../use-submit";

export function BlockButton({ id, blocked }: { id: number; blocked: boolean }) {
  const router = useRouter();
  const { run, busy, error } = useSubmit();
  return (
    <>
      <button
        type="button"
        className="button"
        disabled={busy}
        onClick={() =>
          void run(async () => {
            await apiPost(`/api/v1/annotators/${id}/block`, { blocked: !blocked });
            router.refresh();
          })
        }
      >
        {blocked ? "Unblock" : "Block"}
      </button>
      <FormError error={error} className="error small" />
    </>
  );
}

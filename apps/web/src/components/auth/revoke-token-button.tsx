"use client";

import { useRouter } from "next/navigation";
import { apiDelete } from "../api-client";
import { FormError } from "../form-error";
import { useSubmit } from "../use-submit";

export function RevokeTokenButton({ id, name }: { id: number; name: string }) {
  const router = useRouter();
  const { run, busy, error } = useSubmit();
  return (
    <>
      <button
        type="button"
        className="button"
        disabled={busy}
        aria-label={`Revoke ${name}`}
        onClick={() =>
          void run(async () => {
            await apiDelete(`/api/v1/tokens/${id}`);
            router.refresh();
          })
        }
      >
        Revoke
      </button>
      <FormError error={error} className="error small" />
    </>
  );
}

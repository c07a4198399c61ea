"use client";

import { useRouter } from "next/navigation";

export function BlockButton({ id, blocked }: { id: number; blocked: boolean }) {
  const router = useRouter();
  return (
    <button
      type="button"
      className="button"
      onClick={async () => {
        await fetch(`/api/v1/annotators/${id}/block`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ blocked: !blocked }),
        });
        router.refresh();
      }}
    >
      {blocked ? "Unblock" : "Block"}
    </button>
  );
}

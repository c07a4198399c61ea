"use client";

import { apiPost } from "../api-client";

export function SignOutButton() {
  return (
    <button
      type="button"
      className="link-button"
      onClick={async () => {
        // Home either way: a refused sign-out leaves the session, and the header there shows it.
        await apiPost("/api/v1/auth/logout").catch(() => undefined);
        window.location.assign("/");
      }}
    >
      Sign out
    </button>
  );
}

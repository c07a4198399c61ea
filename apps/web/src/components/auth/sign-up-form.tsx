"use client";

import { CredentialsForm } from "./credentials-form";

/**
 * Open sign-up: name (optional), email and a new password, posted to the sign-up route, which creates a
 * participant account and signs it in; then on to `next`. The fields, their rules and the refusal display
 * are the first-run form's (`CredentialsForm` with a name), so both stay alike.
 */
export function SignUpForm({ next }: { next: string }) {
  return <CredentialsForm endpoint="/api/v1/auth/signup" submitLabel="Create account" next={next} withName />;
}

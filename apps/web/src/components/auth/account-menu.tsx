import type { Principal } from "@arbor/usecases";
import Link from "next/link";
import { SignOutButton } from "./sign-out-button";

export function AccountMenu({ principal }: { principal: Principal | null }) {
  if (!principal) {
    return (
      <Link href="/login" className="account">
        Sign in
      </Link>
    );
  }
  return (
    <span className="account">
      <Link
        href="/account"
        title={`${principal.roles.join(", ")}: your account and API tokens`}
        className="account-name"
      >
        {principal.name ?? principal.email}
      </Link>
      <SignOutButton />
    </span>
  );
}

import { checkAccess, type Principal } from "@arbor/usecases";
import { forbidden, redirect } from "next/navigation";
import { currentPrincipal } from "./api/authorize";
import { PAGE_POLICY, type PageSection } from "./page-policy";

export { currentPrincipal, SESSION_COOKIE } from "./api/authorize";

/** Whether the caller may open a section's pages (e.g. to decide whether to link to them). */
export function mayOpen(section: PageSection, principal: Principal | null): boolean {
  return checkAccess(PAGE_POLICY[section], principal) === "allowed";
}

/**
 * Enforces a page's access rule: to the sign-in page when anonymous, the 403 page for the wrong role. The
 * principal is non-null afterwards, since every section needs a signed-in user.
 */
export async function authorizePage(section: PageSection, returnTo: string): Promise<Principal> {
  const principal = await currentPrincipal();
  const verdict = checkAccess(PAGE_POLICY[section], principal);
  if (verdict === "unauthenticated" || !principal) redirect(`/login?next=${encodeURIComponent(returnTo)}`);
  if (verdict === "forbidden") forbidden();
  return principal;
}

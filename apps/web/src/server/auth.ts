import { getDb } from "@arbor/db";
import { type Access, authenticate, checkAccess, describeAccess, type Principal } from "@arbor/usecases";
import { cookies } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { HttpError } from "./http-error";

export const SESSION_COOKIE = "arbor_session";

/**
 * The caller: an `Authorization: Bearer` API token (CLI, training package) or the session cookie (browser).
 * A cookie-authenticated request that changes something must come from this site's own pages (Origin
 * check): cookies ride along on cross-site requests, bearer tokens never do. Cookies are also SameSite=Lax.
 */
export async function currentPrincipal(request?: Request): Promise<Principal | null> {
  const bearerToken = request?.headers.get("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const sessionToken = bearerToken ? undefined : (await cookies()).get(SESSION_COOKIE)?.value;
  if (!bearerToken && !sessionToken) return null;
  if (request && sessionToken && !["GET", "HEAD"].includes(request.method) && !isSameOrigin(request)) {
    throw new HttpError(403, "cross-site request refused (the Origin header does not match this site)");
  }
  return authenticate(await getDb(), { bearerToken, sessionToken });
}

function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Enforces an API route's access rule: 401 to sign in, 403 for the wrong role. */
export async function authorizeRequest(request: Request, access: Access): Promise<Principal | null> {
  const principal = await currentPrincipal(request);
  const verdict = checkAccess(access, principal);
  if (verdict === "unauthenticated") throw new HttpError(401, "sign in first (session cookie or Bearer token)");
  if (verdict === "forbidden") throw new HttpError(403, `only ${describeAccess(access)} may do this`);
  return principal;
}

/** Enforces a page's access rule: to the sign-in page when anonymous, Next's 403 page for the wrong role. */
export async function authorizePage(access: Access, returnTo: string): Promise<Principal | null> {
  const principal = await currentPrincipal();
  const verdict = checkAccess(access, principal);
  if (verdict === "unauthenticated") redirect(`/login?next=${encodeURIComponent(returnTo)}`);
  if (verdict === "forbidden") forbidden();
  return principal;
}

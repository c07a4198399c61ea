import {
  type Access,
  authenticate,
  checkAccess,
  describeAccess,
  getServices,
  type Principal,
  UseCaseError,
} from "@arbor/usecases";
import { cookies } from "next/headers";

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
    throw new UseCaseError("forbidden", "cross-site request refused (the Origin header does not match this site)");
  }
  return authenticate((await getServices()).db, { bearerToken, sessionToken });
}

export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Enforces an API route's access rule: `unauthenticated` to sign in, `forbidden` for the wrong role. */
export async function authorizeRequest(request: Request, access: Access): Promise<Principal | null> {
  const principal = await currentPrincipal(request);
  const verdict = checkAccess(access, principal);
  if (verdict === "unauthenticated")
    throw new UseCaseError("unauthenticated", "sign in first (session cookie or Bearer token)");
  if (verdict === "forbidden") throw new UseCaseError("forbidden", `only ${describeAccess(access)} may do this`);
  return principal;
}

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

const SAFE_METHODS = ["GET", "HEAD"];

/** The `Authorization: Bearer` token of a request, if it carries one. */
export function bearerTokenOf(request: Request | undefined): string | undefined {
  return request?.headers.get("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1];
}

/**
 * The caller: an `Authorization: Bearer` API token (CLI, training package) or the session cookie (browser).
 * A cookie-authenticated request that changes something must come from this site's own pages (Origin
 * check): cookies ride along on cross-site requests, bearer tokens never do. Cookies are also SameSite=Lax.
 */
export async function currentPrincipal(request?: Request): Promise<Principal | null> {
  const bearerToken = bearerTokenOf(request);
  const sessionToken = bearerToken ? undefined : (await cookies()).get(SESSION_COOKIE)?.value;
  if (!bearerToken && !sessionToken) return null;
  if (request && sessionToken && !SAFE_METHODS.includes(request.method) && !isSameOrigin(request)) {
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

/**
 * The public mutations (sign-in, first-run setup, sign-out) have no credentials to check, so a browser must
 * not be able to send them from another site (login CSRF: signing a victim into the attacker's account).
 * Refused: an `Origin` that is not this site (or `Sec-Fetch-Site: cross-site`), 403; a body that is not
 * `application/json`, 415, because a cross-site `<form>` or a CORS-simple `fetch` can only send
 * form, multipart or text/plain bodies, while a cross-site JSON request needs a preflight this server never
 * grants. Non-browser clients send no Origin and pass.
 */
export function refuseCrossSiteMutation(request: Request): void {
  if (SAFE_METHODS.includes(request.method)) return;
  const origin = request.headers.get("origin");
  if ((origin !== null && !isSameOrigin(request)) || request.headers.get("sec-fetch-site") === "cross-site") {
    throw new UseCaseError("forbidden", "cross-site request refused (the Origin header does not match this site)");
  }
  const length = Number(request.headers.get("content-length") ?? 0);
  const hasBody = length > 0 || request.headers.has("transfer-encoding");
  const type = request.headers.get("content-type") ?? "";
  if (hasBody && !/^application\/json\s*(;|$)/i.test(type)) {
    throw new UseCaseError("unsupported-type", "send the body as application/json");
  }
}

/** Enforces an API route's access rule: `unauthenticated` to sign in, `forbidden` for the wrong role. */
export async function authorizeRequest(request: Request, access: Access): Promise<Principal | null> {
  if (access === "public") refuseCrossSiteMutation(request);
  const principal = await currentPrincipal(request);
  const verdict = checkAccess(access, principal);
  if (verdict === "unauthenticated")
    throw new UseCaseError("unauthenticated", "sign in first (session cookie or Bearer token)");
  if (verdict === "forbidden") throw new UseCaseError("forbidden", `only ${describeAccess(access)} may do this`);
  return principal;
}

import { type NextRequest, NextResponse } from "next/server";
import { webEnv } from "./env";
import { apiSecurityHeaders, newNonce, pageSecurityHeaders } from "./server/security-headers";

/**
 * Runs before every request: sets the security headers. A page's CSP carries a fresh nonce, passed to Next on
 * the request's own CSP header so that Next stamps it on the scripts it renders.
 */
export function proxy(request: NextRequest) {
  if (request.nextUrl.pathname.startsWith("/api/")) {
    const response = NextResponse.next();
    for (const [name, value] of Object.entries(apiSecurityHeaders())) response.headers.set(name, value);
    return response;
  }
  const headers = pageSecurityHeaders(newNonce(), webEnv().dev);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"] as string);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Next's own static assets are served with their own headers and need no nonce.
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)" }],
};

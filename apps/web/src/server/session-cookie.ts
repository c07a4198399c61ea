import { cookies } from "next/headers";
import { SESSION_COOKIE } from "./auth";

/** Sets the session cookie: httpOnly, SameSite=Lax, Secure whenever the site is reached over https. */
export async function setSessionCookie(request: Request, token: string, expires: Date): Promise<void> {
  const https = new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
  (await cookies()).set(SESSION_COOKIE, token, { httpOnly: true, sameSite: "lax", secure: https, path: "/", expires });
}

export async function clearSessionCookie(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
}

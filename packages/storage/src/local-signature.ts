import { createHmac, timingSafeEqual } from "node:crypto";
import type { SignedRequest } from "./blob-store.ts";
import { blobKeySchema } from "./keys.ts";

/**
 * Presigned URLs for the local store: the web app serves `/api/v1/blobs/<key>` and lets a request through
 * only when its `expires` and `signature` query parameters verify. The HMAC covers method, key and expiry,
 * so a URL for one object (or for GET) cannot be turned into another.
 */

export type SignedMethod = "GET" | "PUT";

export function localSignature(secret: string | Buffer, method: SignedMethod, key: string, expires: number): string {
  return createHmac("sha256", secret).update(`${method}\n${key}\n${expires}`).digest("hex");
}

export function unixSeconds(now: Date): number {
  return Math.floor(now.getTime() / 1000);
}

/** True only for a well-formed, unexpired URL signed with `secret`; never throws on hostile input. */
export function verifyLocalSignature(params: SignedRequest, secret: string | Buffer, now: Date = new Date()): boolean {
  const { key, expires, signature, method } = params;
  if (method !== "GET" && method !== "PUT") return false;
  if (!blobKeySchema.safeParse(key).success) return false;
  const expiresText = String(expires);
  if (!/^\d{1,12}$/.test(expiresText)) return false;
  const expiresAt = Number(expiresText);
  if (unixSeconds(now) > expiresAt) return false;
  if (typeof signature !== "string" || !/^[0-9a-f]{64}$/.test(signature)) return false;
  const expected = Buffer.from(localSignature(secret, method, key, expiresAt), "hex");
  return timingSafeEqual(expected, Buffer.from(signature, "hex"));
}

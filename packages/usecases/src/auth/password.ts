import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from "node:crypto";
import { availableParallelism } from "node:os";
import { promisify } from "node:util";
import { WorkGate } from "./work-gate.ts";

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/** scrypt parameters (RFC 7914 guidance for interactive logins); stored with each hash so they can grow. */
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 64;

/**
 * How many scrypt calls run at once: one core (and one of libuv's 4 default threads, which file reads share)
 * is always left to everything else, so at most 3, at least 1.
 */
const HASHING_SLOTS = Math.max(1, Math.min(availableParallelism() - 1, 3));

/**
 * Every scrypt call of this process goes through this gate: `HASHING_SLOTS` at once, 8 per slot waiting
 * (under a second of wait), and past that `rate-limited` at once (the route answers 429 with Retry-After: 1).
 * Without it, a handful of connections sending wrong passwords kept every core busy (an anonymous CPU lever),
 * each call holding 32 MB.
 */
export const passwordGate = new WorkGate(
  HASHING_SLOTS,
  8 * HASHING_SLOTS,
  "the server is busy checking passwords: try again in a moment",
);

/**
 * A well-formed hash of no password, with today's parameters: an unknown email is checked against it, so it
 * costs the same scrypt as a wrong password and the timing reveals no accounts.
 */
export const DUMMY_HASH = `scrypt$${N}$${R}$${P}$${Buffer.alloc(16).toString("base64url")}$${Buffer.alloc(KEY_LENGTH).toString("base64url")}`;

/**
 * Hashes a new password. Setting a password is never anonymous in bulk (an admin, the CLI, or the first-run
 * setup while no user exists), so it waits for a slot of the gate rather than being refused.
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await passwordGate.run(
    () => scrypt(password, salt, KEY_LENGTH, { N, r: R, p: P, maxmem: 128 * N * R * 2 }),
    { refuseWhenFull: false },
  );
  return `scrypt$${N}$${R}$${P}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

/**
 * Constant-time comparison; false (never an exception) for a malformed stored hash. `rate-limited` at once
 * when the gate is full (sign-in is the anonymous path).
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const key = await passwordGate.run(() =>
    scrypt(password, Buffer.from(salt, "base64url"), expected.length, {
      N: Number(n),
      r: Number(r),
      p: Number(p),
      maxmem: 128 * Number(n) * Number(r) * 2,
    }),
  );
  return key.length === expected.length && timingSafeEqual(key, expected);
}

import type { Db } from "@arbor/db";
import { UseCaseError } from "../errors.ts";

/**
 * Sign-in throttling, in PostgreSQL so that every web process shares it (`login_throttle`, one row per key).
 *
 * Each key (the email, and the caller's address) counts failed sign-ins. The first `freeFailures` cost
 * nothing; after that, each further attempt must wait a delay that doubles with every failure (1 s, 2 s,
 * 4 s… up to `maxDelaySeconds`), counted from the last failure. An attempt that comes too early is refused
 * as `rate-limited` with the seconds to wait, before any password is hashed. A key whose last failure is
 * older than `windowSeconds` counts as clean. A successful sign-in clears the email's count (not the
 * address's: one good account must not launder an address's failures).
 *
 * The attempt is counted *before* the password is checked (and taken back on success), so that parallel
 * attempts cannot all slip through one free slot: each waits for the row lock, sees the others' counts.
 */
export interface ThrottlePolicy {
  freeFailures: number;
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  windowSeconds: number;
}

/** Per account: 5 free failures in 15 minutes, then 1 s, 2 s, 4 s… up to 10 minutes between attempts. */
export const EMAIL_POLICY: ThrottlePolicy = {
  freeFailures: 5,
  baseDelaySeconds: 1,
  maxDelaySeconds: 600,
  windowSeconds: 900,
};

/** Per address: 20 free failures in 15 minutes (an office behind one NAT), then the same doubling. */
export const ADDRESS_POLICY: ThrottlePolicy = {
  freeFailures: 20,
  baseDelaySeconds: 1,
  maxDelaySeconds: 600,
  windowSeconds: 900,
};

export interface ThrottleState {
  failures: number;
  lastFailureAt: Date;
}

/** Failures that still count at `now` (0 once the window has passed since the last one). */
export function liveFailures(policy: ThrottlePolicy, state: ThrottleState | null, now: Date): number {
  if (!state) return 0;
  return now.getTime() - state.lastFailureAt.getTime() >= policy.windowSeconds * 1000 ? 0 : state.failures;
}

/** Seconds until the next attempt may be made (0: now). */
export function secondsToWait(policy: ThrottlePolicy, state: ThrottleState | null, now: Date): number {
  const failures = liveFailures(policy, state, now);
  if (!state || failures < policy.freeFailures) return 0;
  const delay = Math.min(policy.maxDelaySeconds, policy.baseDelaySeconds * 2 ** (failures - policy.freeFailures));
  const elapsed = (now.getTime() - state.lastFailureAt.getTime()) / 1000;
  return Math.max(0, delay - elapsed);
}

export interface LoginAttempt {
  emailKey: string;
  addressKey: string | undefined;
}

const keyPolicies = (attempt: LoginAttempt) =>
  [
    { key: attempt.emailKey, policy: EMAIL_POLICY },
    ...(attempt.addressKey ? [{ key: attempt.addressKey, policy: ADDRESS_POLICY }] : []),
  ].sort((a, b) => (a.key < b.key ? -1 : 1));

/** A burst of sign-ins queues for the pool and the key locks; each holds them for a few milliseconds. */
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 10_000 };

/** How many stale rows one attempt prunes at most (keeps the table to the keys of the last window). */
const PRUNE_BATCH = 100;

/**
 * Counts a sign-in attempt for the email and the address, or refuses it (`rate-limited`, nothing counted)
 * when either must still wait. The message is the same for both, and for known and unknown emails.
 */
export async function reserveLoginAttempt(
  db: Db,
  who: { email: string; address?: string },
  now: Date,
): Promise<LoginAttempt> {
  const attempt: LoginAttempt = {
    emailKey: `email:${who.email}`,
    addressKey: who.address ? `address:${who.address}` : undefined,
  };
  const keys = keyPolicies(attempt);
  const wait = await db.$transaction(async (tx) => {
    // One lock per key, taken in key order (no deadlock between two attempts sharing both keys).
    for (const { key } of keys) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`login:${key}`}))`;
    const rows = await tx.loginThrottle.findMany({ where: { key: { in: keys.map((k) => k.key) } } });
    const stateOf = (key: string) => rows.find((row) => row.key === key) ?? null;
    const waits = keys.map(({ key, policy }) => secondsToWait(policy, stateOf(key), now));
    const longest = Math.max(...waits);
    if (longest > 0) return longest;
    for (const { key, policy } of keys) {
      const failures = liveFailures(policy, stateOf(key), now) + 1;
      await tx.loginThrottle.upsert({
        where: { key },
        create: { key, failures, lastFailureAt: now },
        update: { failures, lastFailureAt: now },
      });
    }
    return 0;
  }, TRANSACTION_OPTIONS);
  const cutoff = new Date(now.getTime() - Math.max(EMAIL_POLICY.windowSeconds, ADDRESS_POLICY.windowSeconds) * 1000);
  await db.$executeRaw`
    DELETE FROM login_throttle WHERE key IN (
      SELECT key FROM login_throttle WHERE last_failure_at < ${cutoff} LIMIT ${PRUNE_BATCH})`;
  if (wait > 0) {
    const seconds = Math.ceil(wait);
    throw new UseCaseError(
      "rate-limited",
      `too many failed sign-ins: try again in ${seconds} second${seconds === 1 ? "" : "s"}`,
      undefined,
      seconds,
    );
  }
  return attempt;
}

/** A successful sign-in: the email's count is cleared, the address's reserved attempt taken back. */
export async function recordLoginSuccess(db: Db, attempt: LoginAttempt): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key: attempt.emailKey } });
  if (attempt.addressKey) await takeBack(db, attempt.addressKey);
}

/** An attempt whose password was never checked (the server was busy): taken back from both counts. */
export async function releaseLoginAttempt(db: Db, attempt: LoginAttempt): Promise<void> {
  await takeBack(db, attempt.emailKey);
  if (attempt.addressKey) await takeBack(db, attempt.addressKey);
}

async function takeBack(db: Db, key: string): Promise<void> {
  await db.$executeRaw`UPDATE login_throttle SET failures = GREATEST(failures - 1, 0) WHERE key = ${key}`;
}

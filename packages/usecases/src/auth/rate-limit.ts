import type { Db } from "@arbor/db";
import { UseCaseError } from "../errors.ts";

/**
 * A generic attempt limit, in PostgreSQL so that every web process shares it: at most `limit` attempts per
 * key in a fixed window of `windowSeconds`, which starts at the key's first attempt after the previous window
 * ended. Fixed rather than sliding because one row per key is all it needs; the price is that a burst
 * straddling two windows may get up to twice the limit, which these limits tolerate (they slow bulk abuse;
 * they are not quotas).
 *
 * The rows live in `login_throttle` (key, count, time), under a `rate:` prefix so they never meet the
 * sign-in throttle's `email:` and `address:` keys. For these rows `failures` is the attempts counted in the
 * window and `last_failure_at` is when the window *ends*: the sign-in throttle prunes rows whose time is 15
 * minutes old, so a window's start stored there would be pruned (and forgotten) 15 minutes in, whatever
 * the window's length; its end is only pruned once the window is over.
 */
export interface RateLimitPolicy {
  limit: number;
  windowSeconds: number;
  /** What is counted, for the refusal's message ("sign-ups from this address"). */
  what?: string;
}

/**
 * Per address: 20 sign-ups an hour. Enough for a class or an office signing up for a challenge behind one
 * NAT (the sign-in throttle allows an address 20 failures for the same reason); it bounds the accounts one
 * machine can make to ~500 a day, which slows (it cannot stop) sock-puppet teams multiplying a challenge's
 * quota, and it caps anonymous password hashing per address. Every attempt counts, refused ones included.
 */
export const SIGNUP_POLICY: RateLimitPolicy = { limit: 20, windowSeconds: 3600, what: "sign-ups from this address" };

/**
 * Per user and phase: 60 submission attempts in 10 minutes, malformed, duplicate and over-quota ones
 * included (the quotas count accepted submissions; this counts requests). A person fixing a file's format by
 * hand stays far below one attempt every 10 s, and a script's burst of 50 (the quota test's) passes to meet
 * the quota; a loop re-posting a large file is stopped before it makes the server parse 64 MB bodies
 * without end.
 */
export const SUBMISSION_ATTEMPT_POLICY: RateLimitPolicy = {
  limit: 60,
  windowSeconds: 600,
  what: "submission attempts",
};

/** How many ended windows one attempt prunes at most (keeps the table to the live keys). */
const PRUNE_BATCH = 100;

/**
 * Counts an attempt for `key` under `policy`, or refuses it (`rate-limited`, with the seconds until the
 * window ends) when the window already holds `limit` attempts. One upsert, so parallel attempts queue on the
 * row's lock and each sees the others' counts: 50 at once against a limit of 5 let exactly 5 through.
 */
export async function takeRateLimit(db: Db, key: string, policy: RateLimitPolicy, now = new Date()): Promise<void> {
  if (!Number.isInteger(policy.limit) || policy.limit < 1 || !(policy.windowSeconds > 0)) {
    throw new Error(`a rate limit needs a limit ≥ 1 and a positive window (${key})`);
  }
  const rowKey = `rate:${key}`;
  const windowEnd = new Date(now.getTime() + policy.windowSeconds * 1000);
  // The count stops at limit + 1 (refused attempts need not grow it); a stored end past this policy's
  // window (a shortened policy) is brought back to it.
  const [row] = await db.$queryRaw<{ failures: number; last_failure_at: Date }[]>`
    INSERT INTO login_throttle AS t (key, failures, last_failure_at)
    VALUES (${rowKey}, 1, ${windowEnd})
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN t.last_failure_at <= ${now} THEN 1 ELSE LEAST(t.failures + 1, ${policy.limit + 1}::int) END,
      last_failure_at = CASE WHEN t.last_failure_at <= ${now} THEN ${windowEnd} ELSE LEAST(t.last_failure_at, ${windowEnd}) END
    RETURNING failures, last_failure_at`;
  await db.$executeRaw`
    DELETE FROM login_throttle WHERE key IN (
      SELECT key FROM login_throttle WHERE key LIKE 'rate:%' AND last_failure_at < ${now} LIMIT ${PRUNE_BATCH})`;
  if (!row || row.failures <= policy.limit) return;
  const retryAfterSeconds = Math.max(1, Math.ceil((row.last_failure_at.getTime() - now.getTime()) / 1000));
  throw new UseCaseError(
    "rate-limited",
    `too many ${policy.what ?? "attempts"}: at most ${policy.limit} ${per(policy.windowSeconds)}; ` +
      `try again in ${duration(retryAfterSeconds)}`,
    { limit: policy.limit, windowSeconds: policy.windowSeconds, retryAfterSeconds },
    retryAfterSeconds,
  );
}

/** "an hour", "every 10 minutes", "a day". */
function per(seconds: number): string {
  for (const [unit, size] of UNITS) {
    if (seconds === size) return `${unit === "hour" ? "an" : "a"} ${unit}`;
    if (seconds % size === 0) return `every ${seconds / size} ${unit}s`;
  }
  return `every ${seconds} seconds`;
}

/** "1 second", "40 seconds", "12 minutes", "2 hours" (rounded up, so never an early retry). */
function duration(seconds: number): string {
  const [unit, size] =
    seconds >= 7200 ? (["hour", 3600] as const) : seconds >= 120 ? (["minute", 60] as const) : (["second", 1] as const);
  const count = Math.ceil(seconds / size);
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}

const UNITS = [
  ["day", 86_400],
  ["hour", 3600],
  ["minute", 60],
] as const;

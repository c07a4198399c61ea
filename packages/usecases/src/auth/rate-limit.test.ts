import { useTestDatabase } from "@arbor/db/testing";
import { describe, expect, it } from "vitest";
import { UseCaseError } from "../errors.ts";
import { SIGNUP_POLICY, SUBMISSION_ATTEMPT_POLICY, takeRateLimit } from "./rate-limit.ts";
import { signIn } from "./sessions.ts";

const at = (seconds: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, 0) + seconds * 1000);
const FIVE_AN_HOUR = { limit: 5, windowSeconds: 3600, what: "tries" };

/** "ok", or "wait N" (rate-limited with its Retry-After). */
async function outcome(p: Promise<void>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (error) {
    if (error instanceof UseCaseError && error.kind === "rate-limited") return `wait ${error.retryAfterSeconds}`;
    throw error;
  }
}

describe("takeRateLimit (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");

  it("lets `limit` attempts through in the window, refuses the next until the window ends, naming the limit", async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < 7; i++) outcomes.push(await outcome(takeRateLimit(t.db, "k:a", FIVE_AN_HOUR, at(i * 60))));
    expect(outcomes).toEqual(["ok", "ok", "ok", "ok", "ok", "wait 3300", "wait 3240"]);
    const refusal = await takeRateLimit(t.db, "k:a", FIVE_AN_HOUR, at(3599.5)).catch((e: unknown) => e);
    expect(refusal).toMatchObject({
      kind: "rate-limited",
      message: "too many tries: at most 5 an hour; try again in 1 second",
      retryAfterSeconds: 1,
      detail: { limit: 5, windowSeconds: 3600, retryAfterSeconds: 1 },
    });
    // The window opened at the first attempt; once it has ended a new one starts with a full allowance.
    for (let i = 0; i < 5; i++) expect(await outcome(takeRateLimit(t.db, "k:a", FIVE_AN_HOUR, at(3600)))).toBe("ok");
    expect(await outcome(takeRateLimit(t.db, "k:a", FIVE_AN_HOUR, at(3601)))).toBe("wait 3599");
  });

  it("counts each key apart", async () => {
    for (let i = 0; i < 5; i++) await takeRateLimit(t.db, "k:b", FIVE_AN_HOUR, at(0));
    expect(await outcome(takeRateLimit(t.db, "k:b", FIVE_AN_HOUR, at(0)))).toBe("wait 3600");
    expect(await outcome(takeRateLimit(t.db, "k:c", FIVE_AN_HOUR, at(0)))).toBe("ok");
  });

  it("lets exactly `limit` of 50 parallel attempts through (the upsert holds the row's lock)", async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () => outcome(takeRateLimit(t.db, "k:burst", FIVE_AN_HOUR, at(0)))),
    );
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(5);
    expect(outcomes.filter((o) => o === "wait 3600")).toHaveLength(45);
    // Refused attempts do not grow the count past limit + 1.
    expect(await t.db.loginThrottle.findUnique({ where: { key: "rate:k:burst" } })).toMatchObject({ failures: 6 });
  });

  it("survives the sign-in throttle's prune of its own stale rows (a window longer than its 15 minutes)", async () => {
    for (let i = 0; i < 5; i++) await takeRateLimit(t.db, "k:long", FIVE_AN_HOUR, at(0));
    // A sign-in 20 minutes later prunes login_throttle rows whose time is over 15 minutes old.
    await signIn(t.db, { email: "nobody@example.org", password: "whatever-pw" }, { now: at(1200) }).catch(() => {});
    expect(await outcome(takeRateLimit(t.db, "k:long", FIVE_AN_HOUR, at(1200)))).toBe("wait 2400");
  });

  it("never touches the sign-in throttle's keys, and prunes its own ended windows", async () => {
    await t.db.loginThrottle.create({ data: { key: "email:k", failures: 3, lastFailureAt: at(-7200) } });
    await takeRateLimit(t.db, "email:k", FIVE_AN_HOUR, at(0));
    await takeRateLimit(t.db, "k:old", FIVE_AN_HOUR, at(0));
    expect(await t.db.loginThrottle.findUnique({ where: { key: "email:k" } })).toMatchObject({ failures: 3 });
    expect(await t.db.loginThrottle.findUnique({ where: { key: "rate:email:k" } })).toMatchObject({ failures: 1 });
    await takeRateLimit(t.db, "k:later", FIVE_AN_HOUR, at(3601));
    expect(await t.db.loginThrottle.findUnique({ where: { key: "rate:k:old" } })).toBeNull();
    expect(await t.db.loginThrottle.findUnique({ where: { key: "email:k" } })).not.toBeNull();
  });

  it("refuses a policy that could never let anything through", async () => {
    await expect(takeRateLimit(t.db, "k:x", { limit: 0, windowSeconds: 60 })).rejects.toThrow(/limit ≥ 1/);
    await expect(takeRateLimit(t.db, "k:x", { limit: 1, windowSeconds: 0 })).rejects.toThrow(/positive window/);
  });

  it("words the published policies' refusals", async () => {
    for (let i = 0; i < SIGNUP_POLICY.limit; i++) await takeRateLimit(t.db, "signup:x", SIGNUP_POLICY, at(0));
    await expect(takeRateLimit(t.db, "signup:x", SIGNUP_POLICY, at(600))).rejects.toMatchObject({
      message: "too many sign-ups from this address: at most 20 an hour; try again in 50 minutes",
    });
    for (let i = 0; i < SUBMISSION_ATTEMPT_POLICY.limit; i++)
      await takeRateLimit(t.db, "submit:1", SUBMISSION_ATTEMPT_POLICY, at(0));
    await expect(takeRateLimit(t.db, "submit:1", SUBMISSION_ATTEMPT_POLICY, at(500))).rejects.toMatchObject({
      message: "too many submission attempts: at most 60 every 10 minutes; try again in 100 seconds",
      retryAfterSeconds: 100,
    });
  });
});

import { useTestDatabase } from "@arbor/db/testing";
import { describe, expect, it } from "vitest";
import { createUser } from "./create-user.ts";
import { ADDRESS_POLICY, EMAIL_POLICY, secondsToWait } from "./login-throttle.ts";
import { passwordGate } from "./password.ts";
import { signIn } from "./sessions.ts";

const PASSWORD = "quiet-ferry-lantern-7";
const at = (seconds: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, 0) + seconds * 1000);

/** The outcome of a sign-in as a short word: "ok", "wrong", "wait 4" (rate-limited with its Retry-After). */
async function attempt(
  db: Parameters<typeof signIn>[0],
  email: string,
  password: string,
  now: Date,
  address?: string,
): Promise<string> {
  try {
    await signIn(db, { email, password }, { now, address });
    return "ok";
  } catch (error) {
    const e = error as { kind?: string; retryAfterSeconds?: number };
    if (e.kind === "unauthenticated") return "wrong";
    if (e.kind === "rate-limited") return `wait ${e.retryAfterSeconds}`;
    throw error;
  }
}

describe("the backoff policy", () => {
  it("lets the free failures through, then doubles the wait from the last failure, up to the cap", () => {
    const last = at(0);
    const state = (failures: number) => ({ failures, lastFailureAt: last });
    expect(secondsToWait(EMAIL_POLICY, null, at(0))).toBe(0);
    expect(secondsToWait(EMAIL_POLICY, state(4), at(0))).toBe(0);
    expect(secondsToWait(EMAIL_POLICY, state(5), at(0))).toBe(1);
    expect(secondsToWait(EMAIL_POLICY, state(7), at(1))).toBe(3);
    expect(secondsToWait(EMAIL_POLICY, state(7), at(4))).toBe(0);
    expect(secondsToWait(EMAIL_POLICY, state(40), at(0))).toBe(600);
    // Quiet for the whole window: the failures are forgotten.
    expect(secondsToWait(EMAIL_POLICY, state(40), at(900))).toBe(0);
    expect(secondsToWait(ADDRESS_POLICY, state(19), at(0))).toBe(0);
    expect(secondsToWait(ADDRESS_POLICY, state(20), at(0))).toBe(1);
  });
});

describe("sign-in throttling (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");

  it("refuses the right password after 50 wrong ones in a row, without hashing, until the backoff has passed", async () => {
    await createUser(t.db, { email: "victim@example.org", password: PASSWORD, roles: ["annotator"] });
    const outcomes: string[] = [];
    for (let i = 0; i < 50; i++) outcomes.push(await attempt(t.db, "victim@example.org", `guess-${i}`, at(0)));
    expect(outcomes.slice(0, 5)).toEqual(["wrong", "wrong", "wrong", "wrong", "wrong"]);
    expect(new Set(outcomes.slice(5))).toEqual(new Set(["wait 1"]));

    const hashed = passwordGate.completed;
    expect(await attempt(t.db, "victim@example.org", PASSWORD, at(0.5))).toBe("wait 1");
    expect(passwordGate.completed).toBe(hashed); // refused before scrypt ran
    // After the wait, a wrong guess doubles it; the right password then waits too.
    expect(await attempt(t.db, "victim@example.org", "guess-again", at(1))).toBe("wrong");
    expect(await attempt(t.db, "victim@example.org", PASSWORD, at(2))).toBe("wait 1");
    expect(await attempt(t.db, "victim@example.org", PASSWORD, at(3))).toBe("ok");
    // The success reset the account's count: five free failures again.
    for (let i = 0; i < 5; i++) expect(await attempt(t.db, "victim@example.org", "nope-nope", at(4))).toBe("wrong");
    expect(await attempt(t.db, "victim@example.org", PASSWORD, at(4))).toBe("wait 1");
    // And a quiet window forgets everything.
    expect(await attempt(t.db, "victim@example.org", PASSWORD, at(4 + 900))).toBe("ok");
  });

  it("throttles an unknown email exactly like a known one, at the cost of one scrypt per attempt", async () => {
    const hashed = passwordGate.completed;
    const outcomes: string[] = [];
    for (let i = 0; i < 7; i++) outcomes.push(await attempt(t.db, "nobody@example.org", "whatever-pw", at(0)));
    expect(outcomes).toEqual(["wrong", "wrong", "wrong", "wrong", "wrong", "wait 1", "wait 1"]);
    expect(passwordGate.completed - hashed).toBe(5);
    await expect(signIn(t.db, { email: "nobody@example.org", password: "x" }, { now: at(0) })).rejects.toMatchObject({
      kind: "rate-limited",
      message: "too many failed sign-ins: try again in 1 second",
    });
  });

  it("counts parallel attempts before checking them, so a burst gets no more than the free failures", async () => {
    await createUser(t.db, { email: "burst@example.org", password: PASSWORD, roles: ["annotator"] });
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) => attempt(t.db, "burst@example.org", `guess-${i}`, at(0))),
    );
    expect(outcomes.filter((o) => o === "wrong")).toHaveLength(5);
    expect(outcomes.filter((o) => o === "wait 1")).toHaveLength(7);
  });

  it("limits failures per address across accounts, and a success does not clear the address", async () => {
    await createUser(t.db, { email: "office@example.org", password: PASSWORD, roles: ["annotator"] });
    const address = "198.51.100.9";
    expect(await attempt(t.db, "office@example.org", PASSWORD, at(0), address)).toBe("ok");
    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++)
      outcomes.push(await attempt(t.db, `spray${i}@example.org`, "Winter2026!", at(0), address));
    expect(outcomes.every((o) => o === "wrong")).toBe(true);
    // The 21st failure from the address waits, whichever email it names, even the right password of a real one.
    expect(await attempt(t.db, "spray99@example.org", "Winter2026!", at(0), address)).toBe("wait 1");
    expect(await attempt(t.db, "office@example.org", PASSWORD, at(0), address)).toBe("wait 1");
    // Another address is not affected, and a success there leaves this address's count alone.
    expect(await attempt(t.db, "office@example.org", PASSWORD, at(0), "198.51.100.10")).toBe("ok");
    expect(await attempt(t.db, "office@example.org", PASSWORD, at(0.5), address)).toBe("wait 1");
    expect(await attempt(t.db, "office@example.org", PASSWORD, at(1), address)).toBe("ok");
  });

  it("answers rate-limited at once when every scrypt slot is busy, and does not count that attempt", async () => {
    await createUser(t.db, { email: "busy@example.org", password: PASSWORD, roles: ["annotator"] });
    let release = () => {};
    const hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const fillers = Array.from({ length: passwordGate.concurrency + passwordGate.maxQueued }, () =>
      passwordGate.run(() => hold),
    );
    try {
      await expect(
        signIn(t.db, { email: "busy@example.org", password: PASSWORD }, { now: at(0) }),
      ).rejects.toMatchObject({ kind: "rate-limited", retryAfterSeconds: 1, message: expect.stringMatching(/busy/) });
    } finally {
      release();
      await Promise.all(fillers);
    }
    expect(await t.db.loginThrottle.findUnique({ where: { key: "email:busy@example.org" } })).toMatchObject({
      failures: 0,
    });
    expect(await attempt(t.db, "busy@example.org", PASSWORD, at(0))).toBe("ok");
  });
});

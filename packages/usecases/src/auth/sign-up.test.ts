import { useTestDatabase } from "@arbor/db/testing";
import { describe, expect, it } from "vitest";
import { UseCaseError } from "../errors.ts";
import { createUser } from "./create-user.ts";
import { passwordGate } from "./password.ts";
import { SIGNUP_POLICY } from "./rate-limit.ts";
import { authenticate, signIn } from "./sessions.ts";
import { signUp } from "./sign-up.ts";

const PASSWORD = "quiet-ferry-lantern-7";
const at = (seconds: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, 0) + seconds * 1000);
const open = { openSignUp: true, address: "198.51.100.1" };

const refusal = async (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof UseCaseError ? `${e.kind}: ${e.message}` : String(e)),
  );

describe("signUp (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");

  it("creates a participant, nothing more, and signs them in", async () => {
    const session = await signUp(t.db, { email: "Ada@Example.org", password: PASSWORD, name: "Ada" }, open);
    expect(session.user).toEqual({
      id: expect.any(Number),
      email: "ada@example.org",
      name: "Ada",
      roles: ["participant"],
    });
    expect(await authenticate(t.db, { sessionToken: session.token })).toEqual(session.user);
    expect(session.expiresAt.getTime()).toBeGreaterThan(Date.now() + 13 * 24 * 3600 * 1000);
    // Whatever the body says about roles, the account is a participant's.
    const sneaky = await signUp(
      t.db,
      { email: "eve@example.org", password: PASSWORD, roles: ["admin", "researcher"] },
      { ...open, address: "198.51.100.2" },
    );
    expect(sneaky.user.roles).toEqual(["participant"]);
    expect((await t.db.user.findUniqueOrThrow({ where: { email: "eve@example.org" } })).roles).toEqual(["participant"]);
    // The password works for an ordinary sign-in.
    expect((await signIn(t.db, { email: "ada@example.org", password: PASSWORD })).user.id).toBe(session.user.id);
  });

  it("is refused while open sign-up is off, creating and counting nothing", async () => {
    const before = await t.db.user.count();
    expect(await refusal(signUp(t.db, { email: "off@example.org", password: PASSWORD }, { openSignUp: false }))).toBe(
      "forbidden: sign-up is closed on this server: ask an admin for an account",
    );
    expect(await t.db.user.count()).toBe(before);
    expect(await t.db.loginThrottle.findUnique({ where: { key: "rate:signup:unknown" } })).toBeNull();
  });

  it("refuses a taken email without naming the account, whatever its case, and a weak password or bad email", async () => {
    await createUser(t.db, { email: "taken@example.org", password: PASSWORD, roles: ["annotator"] });
    const ctx = { ...open, address: "198.51.100.3" };
    for (const email of ["taken@example.org", "TAKEN@example.org"]) {
      expect(await refusal(signUp(t.db, { email, password: "another-calm-harbour-9" }, ctx))).toBe(
        "conflict: cannot create an account with this email",
      );
    }
    // The existing account is untouched: still an annotator, still its password.
    expect((await signIn(t.db, { email: "taken@example.org", password: PASSWORD })).user.roles).toEqual(["annotator"]);
    expect(await refusal(signUp(t.db, { email: "weak@example.org", password: "password123" }, ctx))).toMatch(
      /^invalid: password: too easy to guess/,
    );
    expect(await refusal(signUp(t.db, { email: "not-an-email", password: PASSWORD }, ctx))).toMatch(/^invalid: email/);
    expect(await refusal(signUp(t.db, { email: "short@example.org", password: "x" }, ctx))).toMatch(
      /^invalid: password/,
    );
    expect(await t.db.user.count({ where: { email: { in: ["weak@example.org", "short@example.org"] } } })).toBe(0);
  });

  it("creates one account when two sign-ups race for one email", async () => {
    const ctx = { ...open, address: "198.51.100.4" };
    const outcomes = await Promise.all([
      refusal(signUp(t.db, { email: "race@example.org", password: PASSWORD }, ctx)),
      refusal(signUp(t.db, { email: "race@example.org", password: PASSWORD }, ctx)),
    ]);
    expect(outcomes.sort()).toEqual(["conflict: cannot create an account with this email", "ok"]);
    expect(await t.db.user.count({ where: { email: "race@example.org" } })).toBe(1);
  });

  it("limits sign-ups per address, refused attempts included, before any password is estimated or hashed", async () => {
    const ctx = { ...open, address: "203.0.113.7", now: at(0) };
    // A mix of good and refused attempts: every one counts.
    for (let i = 0; i < SIGNUP_POLICY.limit; i++) {
      const email = i % 2 === 0 ? `burst${i}@example.org` : "taken-or-bad";
      await signUp(t.db, { email, password: PASSWORD }, ctx).catch(() => {});
    }
    const hashed = passwordGate.completed;
    const refused = await signUp(t.db, { email: "one-more@example.org", password: PASSWORD }, ctx).catch((e) => e);
    expect(refused).toMatchObject({
      kind: "rate-limited",
      message: "too many sign-ups from this address: at most 20 an hour; try again in 60 minutes",
      retryAfterSeconds: 3600,
    });
    // Refused before the input was even read: a malformed body is rate-limited the same way.
    expect(await refusal(signUp(t.db, { nonsense: true }, ctx))).toMatch(/^rate-limited:/);
    expect(passwordGate.completed).toBe(hashed);
    expect(await t.db.user.count({ where: { email: "one-more@example.org" } })).toBe(0);
    // Another address is not affected; an hour later this one may sign up again.
    expect(
      await refusal(signUp(t.db, { email: "elsewhere@example.org", password: PASSWORD }, { ...ctx, address: "x" })),
    ).toBe("ok");
    expect(
      await refusal(signUp(t.db, { email: "one-more@example.org", password: PASSWORD }, { ...ctx, now: at(3600) })),
    ).toBe("ok");
  });

  it("answers rate-limited at once when every scrypt slot is busy, creating nothing", async () => {
    let release = () => {};
    const hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const fillers = Array.from({ length: passwordGate.concurrency + passwordGate.maxQueued }, () =>
      passwordGate.run(() => hold),
    );
    try {
      const ctx = { ...open, address: "198.51.100.5" };
      expect(await refusal(signUp(t.db, { email: "busy@example.org", password: PASSWORD }, ctx))).toBe(
        "rate-limited: the server is busy: try again in a moment",
      );
    } finally {
      release();
      await Promise.all(fillers);
    }
    expect(await t.db.user.count({ where: { email: "busy@example.org" } })).toBe(0);
  });
});

import { useTestDatabase } from "@arbor/db/testing";
import { describe, expect, it } from "vitest";
import { createApiToken } from "./api-tokens.ts";
import { createFirstAdmin, createUser } from "./create-user.ts";
import { authenticate, signIn } from "./sessions.ts";

describe("users and sign-in (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");

  it("creates exactly one first admin, even when two first visits race", async () => {
    const results = await Promise.allSettled([
      createFirstAdmin(t.db, { email: "first@example.org", password: "first-password" }),
      createFirstAdmin(t.db, { email: "second@example.org", password: "second-password" }),
    ]);
    const created = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    expect(created).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")?.reason).toMatchObject({ kind: "conflict" });
    expect(await t.db.user.count()).toBe(1);
    expect(created[0]?.roles.sort()).toEqual(["admin", "annotator", "researcher"]);
    await expect(
      createFirstAdmin(t.db, { email: "late@example.org", password: "late-admin-password" }),
    ).rejects.toMatchObject({
      name: "UseCaseError",
      kind: "conflict",
      message: expect.stringMatching(/already has users/),
    });
    expect(await t.db.user.count()).toBe(1);
  });

  it("signs in case-insensitively, refuses wrong passwords and blocked users, and accepts API tokens", async () => {
    await createUser(t.db, { email: "Ann@Example.org", password: "ann-harbour-lantern", roles: ["annotator"] });
    await expect(
      createUser(t.db, { email: "ann@example.org", password: "other-password", roles: ["admin"] }),
    ).rejects.toMatchObject({ kind: "conflict", message: "a user with the email ann@example.org already exists" });
    await expect(
      createUser(t.db, { email: "bob@example.org", password: "short", roles: ["admin"] }),
    ).rejects.toMatchObject({ kind: "invalid", message: "password: passwords have at least 10 characters" });
    const wrongPassword = { kind: "unauthenticated", message: "wrong email or password" };
    await expect(signIn(t.db, { email: "ann@example.org", password: "wrong-password" })).rejects.toMatchObject(
      wrongPassword,
    );
    await expect(signIn(t.db, { email: "nobody@example.org", password: "ann-harbour-lantern" })).rejects.toMatchObject(
      wrongPassword,
    );
    const session = await signIn(t.db, { email: "ANN@example.org", password: "ann-harbour-lantern" });
    expect(session.user.roles).toEqual(["annotator"]);
    expect(await authenticate(t.db, { sessionToken: session.token })).toMatchObject({ email: "ann@example.org" });
    expect(await t.db.session.count({ where: { id: session.token } })).toBe(0); // only the hash is stored

    const { token } = await createApiToken(t.db, { email: "ann@example.org" }, { name: "cli" });
    expect(await authenticate(t.db, { bearerToken: token })).toMatchObject({ email: "ann@example.org" });
    await t.db.user.update({ where: { email: "ann@example.org" }, data: { blocked: true } });
    expect(await authenticate(t.db, { bearerToken: token })).toBeNull();
    await expect(signIn(t.db, { email: "ann@example.org", password: "ann-harbour-lantern" })).rejects.toMatchObject(
      wrongPassword,
    );
    await expect(createApiToken(t.db, { email: "nobody@example.org" }, { name: "cli" })).rejects.toMatchObject({
      kind: "not-found",
    });
  });

  it("refuses common, repetitive and personal passwords with zxcvbn's advice, wherever a password is set", async () => {
    const before = await t.db.user.count();
    await expect(
      createUser(t.db, { email: "weak@example.org", password: "aaaaaaaaaa", roles: ["annotator"] }),
    ).rejects.toMatchObject({
      kind: "invalid",
      message: expect.stringMatching(/^password: too easy to guess\. Repeated characters like "aaa" are easy to guess/),
    });
    await expect(
      createUser(t.db, { email: "weak@example.org", password: "password-123", roles: ["annotator"] }),
    ).rejects.toMatchObject({ kind: "invalid", message: expect.stringMatching(/commonly used password/) });
    // Built from the user's own email: refused for alice, with the advice naming why.
    await expect(
      createUser(t.db, { email: "alice@example.org", password: "alice12345", roles: ["annotator"] }),
    ).rejects.toMatchObject({ kind: "invalid", message: expect.stringMatching(/^password: too easy to guess/) });
    await expect(
      createUser(t.db, { email: "jo@example.org", name: "Marguerite", password: "Marguerite1", roles: ["annotator"] }),
    ).rejects.toMatchObject({ kind: "invalid", message: expect.stringMatching(/personal/) });
    expect(await t.db.user.count()).toBe(before);
    // The first-run form checks the same way (its own database has users here, so strength is checked first).
    await expect(createFirstAdmin(t.db, { email: "root@example.org", password: "qwertyuiop12" })).rejects.toMatchObject(
      { kind: "invalid", message: expect.stringMatching(/^password: too easy to guess/) },
    );
    const strong = await createUser(t.db, {
      email: "strong@example.org",
      password: "quiet-ferry-lantern-7",
      roles: ["annotator"],
    });
    expect(strong.email).toBe("strong@example.org");
  });
});

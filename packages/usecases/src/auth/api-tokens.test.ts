import { useTestDatabase } from "@arbor/db/testing";
import { describe, expect, it } from "vitest";
import { createApiToken, listApiTokens, revokeApiToken } from "./api-tokens.ts";
import { createUser } from "./create-user.ts";
import { getUser } from "./get-user.ts";
import { authenticate } from "./sessions.ts";
import { setUserBlocked } from "./set-user-blocked.ts";
import type { Principal } from "./user-schemas.ts";

const PASSWORD = "quiet-ferry-lantern-7";

describe("API tokens (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");
  let admin: Principal;
  let ann: Principal;
  let bob: Principal;

  it("creates named tokens shown once, lists them without secrets, and expires them", async () => {
    admin = await createUser(t.db, { email: "admin@example.org", password: PASSWORD, roles: ["admin"] });
    ann = await createUser(t.db, { email: "ann@example.org", password: PASSWORD, roles: ["annotator"] });
    bob = await createUser(t.db, { email: "bob@example.org", password: PASSWORD, roles: ["researcher"] });

    const laptop = await createApiToken(t.db, { userId: ann.id }, { name: "laptop", expiresInDays: 30 });
    expect(laptop).toMatchObject({ name: "laptop", userId: ann.id, email: "ann@example.org", state: "active" });
    expect(laptop.token).toMatch(/^at_/);
    const days = (Date.parse(laptop.expiresAt as string) - Date.parse(laptop.createdAt)) / 86_400_000;
    expect(days).toBeCloseTo(30, 2);
    const forever = await createApiToken(t.db, { email: "ANN@example.org" }, { name: "trainer" });
    expect(forever.expiresAt).toBeNull();
    expect(await authenticate(t.db, { bearerToken: laptop.token })).toMatchObject({ id: ann.id });

    const listed = await listApiTokens(t.db, { actor: ann });
    expect(listed.map((row) => row.name)).toEqual(["trainer", "laptop"]);
    expect(JSON.stringify(listed)).not.toContain(laptop.token);
    expect(listed.find((row) => row.name === "laptop")?.lastUsedAt).not.toBeNull();

    // Past its expiry a token authenticates no one, and is listed as expired.
    await t.db.apiToken.update({ where: { id: laptop.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await authenticate(t.db, { bearerToken: laptop.token })).toBeNull();
    expect((await listApiTokens(t.db, { email: "ann@example.org" })).find((r) => r.id === laptop.id)?.state).toBe(
      "expired",
    );

    await expect(createApiToken(t.db, { userId: ann.id }, { name: " " })).rejects.toMatchObject({ kind: "invalid" });
    await expect(createApiToken(t.db, { userId: ann.id }, { name: "x", expiresInDays: 0 })).rejects.toMatchObject({
      kind: "invalid",
    });
    await expect(createApiToken(t.db, { userId: 999_999 }, { name: "x" })).rejects.toMatchObject({
      kind: "not-found",
    });
    expect(await getUser(t.db, ann.id)).toMatchObject({ email: "ann@example.org", blocked: false });
    await expect(getUser(t.db, 999_999)).rejects.toMatchObject({ kind: "not-found", message: "no user 999999" });
  });

  it("lets users see and revoke their own tokens, and admins anyone's", async () => {
    const bobs = await createApiToken(t.db, { userId: bob.id }, { name: "bob's" });
    await expect(listApiTokens(t.db, { actor: ann, userId: bob.id })).rejects.toMatchObject({ kind: "forbidden" });
    expect((await listApiTokens(t.db, { actor: admin, userId: bob.id })).map((r) => r.id)).toEqual([bobs.id]);
    await expect(listApiTokens(t.db, { actor: admin, userId: 999_999 })).rejects.toMatchObject({ kind: "not-found" });
    // Someone else's token is "not found" to a non-admin (it reveals nothing), and stays valid.
    await expect(revokeApiToken(t.db, bobs.id, ann)).rejects.toMatchObject({
      kind: "not-found",
      message: `no token ${bobs.id}`,
    });
    expect(await authenticate(t.db, { bearerToken: bobs.token })).toMatchObject({ id: bob.id });

    const own = await revokeApiToken(t.db, bobs.id, bob);
    expect(own.state).toBe("revoked");
    expect(await authenticate(t.db, { bearerToken: bobs.token })).toBeNull();
    expect((await revokeApiToken(t.db, bobs.id, bob)).revokedAt).toBe(own.revokedAt); // again: unchanged

    const other = await createApiToken(t.db, { userId: bob.id }, { name: "second" });
    expect((await revokeApiToken(t.db, other.id, admin)).state).toBe("revoked");
    expect(await authenticate(t.db, { bearerToken: other.token })).toBeNull();
    // The CLI (no actor) lists everyone's and revokes any.
    expect((await listApiTokens(t.db)).map((r) => r.email)).toEqual(
      expect.arrayContaining(["ann@example.org", "bob@example.org"]),
    );
    await expect(revokeApiToken(t.db, 999_999)).rejects.toMatchObject({ kind: "not-found" });
  });

  it("revokes a blocked user's tokens for good: unblocking revives none", async () => {
    const leaked = await createApiToken(t.db, { userId: ann.id }, { name: "leaked" });
    const session = await t.db.session.create({
      data: { id: "a".repeat(64), userId: ann.id, expiresAt: new Date(Date.now() + 3600_000) },
    });
    expect(await setUserBlocked(t.db, { userId: ann.id }, true, admin.id)).toMatchObject({
      blocked: true,
      sessionsEnded: 1,
      tokensRevoked: 3, // "leaked", "trainer" and the expired "laptop"
    });
    expect(await t.db.session.findUnique({ where: { id: session.id } })).toBeNull();
    expect(await authenticate(t.db, { bearerToken: leaked.token })).toBeNull();
    await setUserBlocked(t.db, { userId: ann.id }, false, admin.id);
    expect(await authenticate(t.db, { bearerToken: leaked.token })).toBeNull();
    expect((await listApiTokens(t.db, { actor: ann })).every((r) => r.state === "revoked")).toBe(true);
    // A new token works again.
    const fresh = await createApiToken(t.db, { userId: ann.id }, { name: "after" });
    expect(await authenticate(t.db, { bearerToken: fresh.token })).toMatchObject({ id: ann.id });
  });
});

import { useTestDatabase } from "@arbor/db/testing";
import { describe, expect, it } from "vitest";
import { createFirstAdmin, createUser, UserExistsError } from "./create-user.ts";
import { authenticate, createApiToken, signIn } from "./sessions.ts";

describe("users and sign-in (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");

  it("creates exactly one first admin, even when two first visits race", async () => {
    const results = await Promise.all([
      createFirstAdmin(t.db, { email: "first@example.org", password: "first-password" }),
      createFirstAdmin(t.db, { email: "second@example.org", password: "second-password" }),
    ]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await t.db.user.count()).toBe(1);
    expect(results.find((r) => r !== null)?.roles.sort()).toEqual(["admin", "annotator", "researcher"]);
    expect(await createFirstAdmin(t.db, { email: "late@example.org", password: "late-password" })).toBeNull();
  });

  it("signs in case-insensitively, refuses wrong passwords and blocked users, and accepts API tokens", async () => {
    await createUser(t.db, { email: "Ann@Example.org", password: "ann-password", roles: ["annotator"] });
    await expect(
      createUser(t.db, { email: "ann@example.org", password: "other-password", roles: ["admin"] }),
    ).rejects.toThrow(UserExistsError);
    expect(await signIn(t.db, { email: "ann@example.org", password: "wrong-password" })).toBeNull();
    const session = await signIn(t.db, { email: "ANN@example.org", password: "ann-password" });
    expect(session?.user.roles).toEqual(["annotator"]);
    expect(await authenticate(t.db, { sessionToken: session?.token })).toMatchObject({ email: "ann@example.org" });
    expect(await t.db.session.count({ where: { id: session?.token } })).toBe(0); // only the hash is stored

    const token = await createApiToken(t.db, "ann@example.org");
    expect(await authenticate(t.db, { bearerToken: token })).toMatchObject({ email: "ann@example.org" });
    await t.db.user.update({ where: { email: "ann@example.org" }, data: { blocked: true } });
    expect(await authenticate(t.db, { bearerToken: token })).toBeNull();
    expect(await signIn(t.db, { email: "ann@example.org", password: "ann-password" })).toBeNull();
  });
});

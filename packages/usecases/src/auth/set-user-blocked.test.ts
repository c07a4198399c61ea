import { useTestDatabase } from "@arbor/db/testing";
import { describe, expect, it } from "vitest";
import { setAnnotatorBlocked } from "../labelling/list-annotators.ts";
import { createUser } from "./create-user.ts";
import { signIn } from "./sessions.ts";
import { setUserBlocked } from "./set-user-blocked.ts";

const PASSWORD = "quiet-ferry-lantern-7";

describe("blocking users (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");

  it("refuses blocking yourself and the last unblocked admin; the CLI unblocks by email", async () => {
    const first = await createUser(t.db, { email: "first@example.org", password: PASSWORD, roles: ["admin"] });
    const second = await createUser(t.db, { email: "second@example.org", password: PASSWORD, roles: ["admin"] });
    const ann = await createUser(t.db, { email: "ann@example.org", password: PASSWORD, roles: ["annotator"] });

    await expect(setUserBlocked(t.db, { userId: first.id }, true, first.id)).rejects.toMatchObject({
      kind: "forbidden",
      message: expect.stringMatching(/^you cannot block yourself/),
    });
    // The annotator table's block button goes through the same rules.
    await expect(setAnnotatorBlocked(t.db, first.id, true, first.id)).rejects.toMatchObject({ kind: "forbidden" });
    expect(await t.db.user.findUnique({ where: { id: first.id } })).toMatchObject({ blocked: false });
    // Another admin may, while an unblocked admin remains.
    await setUserBlocked(t.db, { userId: second.id }, true, first.id);
    expect(await t.db.user.findUnique({ where: { id: second.id } })).toMatchObject({ blocked: true });
    // Now `first` is the last unblocked admin: nobody (the CLI included) may block them.
    await expect(setUserBlocked(t.db, { email: "first@example.org" }, true)).rejects.toMatchObject({
      kind: "conflict",
      message:
        "first@example.org is the last unblocked admin: create another admin first (npx arbor user create --role admin)",
    });
    // A blocked admin may not block anyone (their request raced their own blocking).
    await expect(setUserBlocked(t.db, { userId: ann.id }, true, second.id)).rejects.toMatchObject({
      kind: "forbidden",
    });
    expect(await setUserBlocked(t.db, { email: "SECOND@example.org" }, false)).toMatchObject({ blocked: false });
    await expect(signIn(t.db, { email: "second@example.org", password: PASSWORD })).resolves.toMatchObject({
      user: { id: second.id },
    });
    await expect(setUserBlocked(t.db, { email: "nobody@example.org" }, false)).rejects.toMatchObject({
      kind: "not-found",
      message: "no user with the email nobody@example.org",
    });
  });

  it("leaves one admin when two admins block each other at the same moment", async () => {
    const a = await createUser(t.db, { email: "a@example.org", password: PASSWORD, roles: ["admin"] });
    const b = await createUser(t.db, { email: "b@example.org", password: PASSWORD, roles: ["admin"] });
    // The admins of the first test are blocked first, so that `a` and `b` are the only unblocked admins.
    const first = await t.db.user.findUniqueOrThrow({ where: { email: "first@example.org" } });
    const second = await t.db.user.findUniqueOrThrow({ where: { email: "second@example.org" } });
    await setUserBlocked(t.db, { userId: first.id }, true, second.id);
    await setUserBlocked(t.db, { userId: second.id }, true, a.id);
    const results = await Promise.allSettled([
      setUserBlocked(t.db, { userId: b.id }, true, a.id),
      setUserBlocked(t.db, { userId: a.id }, true, b.id),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await t.db.user.count({ where: { roles: { has: "admin" }, blocked: false } })).toBe(1);
  });
});

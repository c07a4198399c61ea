import type { Db } from "@arbor/db";
import { hashPassword } from "./password.ts";
import { type NewUser, newUserSchema, type Principal } from "./user-schemas.ts";

export class UserExistsError extends Error {}

export async function createUser(db: Db, input: NewUser): Promise<Principal> {
  const user = newUserSchema.parse(input);
  if (await db.user.findUnique({ where: { email: user.email }, select: { id: true } })) {
    throw new UserExistsError(`a user with the email ${user.email} already exists`);
  }
  const created = await db.user.create({
    data: {
      email: user.email,
      name: user.name,
      roles: [...new Set(user.roles)],
      passwordHash: await hashPassword(user.password),
    },
  });
  return { id: created.id, email: created.email, name: created.name, roles: created.roles };
}

/**
 * The first-run path: creates an admin only while there are no users at all (an advisory lock makes two
 * simultaneous first visits create one admin, not two).
 */
export async function createFirstAdmin(db: Db, input: Omit<NewUser, "roles">): Promise<Principal | null> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('arbor-first-admin'))`;
    if ((await tx.user.count()) > 0) return null;
    const user = newUserSchema.parse({ ...input, roles: ["admin", "annotator", "researcher"] });
    const created = await tx.user.create({
      data: { email: user.email, name: user.name, roles: user.roles, passwordHash: await hashPassword(user.password) },
    });
    return { id: created.id, email: created.email, name: created.name, roles: created.roles };
  });
}

export async function hasUsers(db: Db): Promise<boolean> {
  return (await db.user.count()) > 0;
}

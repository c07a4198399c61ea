import type { Db } from "@arbor/db";
import { conflict, parseInput } from "../errors.ts";
import { hashPassword } from "./password.ts";
import { checkPasswordStrength, personalInputs } from "./password-strength.ts";
import { type FirstAdmin, firstAdminSchema, type NewUser, newUserSchema, type Principal } from "./user-schemas.ts";

/**
 * A new user (`conflict` when the email is taken, `invalid` input names the field; a password that is short,
 * common or made of the user's own email or name is `invalid`, with advice).
 */
export async function createUser(db: Db, input: NewUser): Promise<Principal> {
  const user = parseInput(newUserSchema, input);
  await checkPasswordStrength(user.password, personalInputs(user.email, user.name));
  if (await db.user.findUnique({ where: { email: user.email }, select: { id: true } })) {
    throw conflict(`a user with the email ${user.email} already exists`);
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
 * simultaneous first visits create one admin, not two); `conflict` once anyone exists.
 */
export async function createFirstAdmin(db: Db, input: FirstAdmin): Promise<Principal> {
  const admin = parseInput(firstAdminSchema, input);
  await checkPasswordStrength(admin.password, personalInputs(admin.email, admin.name));
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('arbor-first-admin'))`;
    if ((await tx.user.count()) > 0) {
      throw conflict("Arbor already has users: sign in, or ask an admin (npx arbor user create)");
    }
    const roles: Principal["roles"] = ["admin", "annotator", "researcher"];
    const created = await tx.user.create({
      data: { email: admin.email, name: admin.name, roles, passwordHash: await hashPassword(admin.password) },
    });
    return { id: created.id, email: created.email, name: created.name, roles: created.roles };
  });
}

export async function hasUsers(db: Db): Promise<boolean> {
  return (await db.user.count()) > 0;
}

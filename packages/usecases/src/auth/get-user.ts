import type { Db } from "@arbor/db";
import { notFound } from "../errors.ts";
import type { Principal } from "./user-schemas.ts";

/** A user by id, as a principal, and whether they are blocked (`not-found` for an unknown id). */
export async function getUser(db: Db, id: number): Promise<Principal & { blocked: boolean }> {
  const user = await db.user.findUnique({
    where: { id },
    select: { id: true, email: true, name: true, roles: true, blocked: true },
  });
  if (!user) throw notFound(`no user ${id}`);
  return user;
}

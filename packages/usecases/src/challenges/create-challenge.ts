import type { Db } from "@arbor/db";
import { forbidden, parseInput } from "../errors.ts";
import type { Actor } from "../restrictions/viewer.ts";
import { type CreateChallengeInput, createChallengeSchema } from "./challenge-schemas.ts";

/** Creates a challenge owned by the actor (a researcher or an admin; the operator owns nothing). */
export async function createChallenge(db: Db, input: CreateChallengeInput, actor: Actor): Promise<{ id: number }> {
  if (!actor.roles.includes("researcher") && !actor.roles.includes("admin"))
    throw forbidden("only researchers and admins may create challenges");
  const data = parseInput(createChallengeSchema, input);
  return db.challenge.create({ data: { ...data, ownerId: actor.id }, select: { id: true } });
}

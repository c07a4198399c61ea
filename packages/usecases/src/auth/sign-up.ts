import type { Db } from "@arbor/db";
import type { z } from "zod";
import { usecasesEnv } from "../env.ts";
import { conflict, forbidden, parseInput, UseCaseError } from "../errors.ts";
import { hashPassword, passwordGate } from "./password.ts";
import { checkPasswordStrength, personalInputs } from "./password-strength.ts";
import { SIGNUP_POLICY, takeRateLimit } from "./rate-limit.ts";
import { newSecretToken } from "./secret-token.ts";
import { SESSION_DAYS } from "./sessions.ts";
import { newUserSchema, type Principal } from "./user-schemas.ts";

/** Open sign-up's form: a new user without roles (they get `participant` only). */
export const signUpSchema = newUserSchema.omit({ roles: true }).meta({ id: "SignUp" });
export type SignUpInput = z.input<typeof signUpSchema>;

export interface SignUpContext {
  /** The caller's address (`clientAddress()` of the request), for the per-address limit. */
  address?: string;
  /** The time of the attempt (tests). */
  now?: Date;
  /** ARBOR_OPEN_SIGNUP (tests override it). */
  openSignUp?: boolean;
}

/**
 * Anyone creates their own account, to take part in challenges: it gets the `participant` role only (no
 * labelling, no datasets; an admin grants more), and is signed in at once (the same answer as `signIn`).
 *
 * - `forbidden` while open sign-up is off (ARBOR_OPEN_SIGNUP), before anything is counted.
 * - `rate-limited` past SIGNUP_POLICY's attempts per address (every attempt counts, refused ones too),
 *   before the input is even parsed, so no password is estimated or hashed for a flood; and when the
 *   server is already hashing all it can (an anonymous caller must not queue behind it without end).
 * - `invalid` for a bad email or a weak password (the same strength rules as every password).
 * - `conflict` when the email is taken, in words that name no account ("cannot create an account with this
 *   email"); that an email is taken can be learnt here anyway, so this only keeps the message plain.
 */
export async function signUp(
  db: Db,
  input: unknown,
  context: SignUpContext = {},
): Promise<{ token: string; expiresAt: Date; user: Principal }> {
  if (!(context.openSignUp ?? usecasesEnv().openSignUp)) {
    throw forbidden("sign-up is closed on this server: ask an admin for an account");
  }
  const now = context.now ?? new Date();
  await takeRateLimit(db, `signup:${context.address ?? "unknown"}`, SIGNUP_POLICY, now);
  const user = parseInput(signUpSchema, input);
  await checkPasswordStrength(user.password, personalInputs(user.email, user.name));
  const taken = () => conflict("cannot create an account with this email");
  if (await db.user.findUnique({ where: { email: user.email }, select: { id: true } })) throw taken();
  // `hashPassword` waits for a slot however long the queue (its other callers are trusted); sign-up is not.
  if (passwordGate.running >= passwordGate.concurrency && passwordGate.queued >= passwordGate.maxQueued) {
    throw new UseCaseError("rate-limited", "the server is busy: try again in a moment", undefined, 1);
  }
  const passwordHash = await hashPassword(user.password);
  const { token, hash } = newSecretToken("as");
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 24 * 3600 * 1000);
  try {
    // The user and their first session in one statement: a sign-up is never left half done.
    const created = await db.user.create({
      data: {
        email: user.email,
        name: user.name,
        roles: ["participant"],
        passwordHash,
        sessions: { create: { id: hash, expiresAt } },
      },
    });
    return {
      token,
      expiresAt,
      user: { id: created.id, email: created.email, name: created.name, roles: created.roles },
    };
  } catch (error) {
    // Two sign-ups with one email at once: the unique index refuses the second.
    if ((error as { code?: string }).code === "P2002") throw taken();
    throw error;
  }
}

import { randomBytes } from "node:crypto";

/** A team's invite code: 96 random bits, so that no one joins a team (and uses its quota) uninvited. */
export const newInviteCode = (): string => randomBytes(12).toString("base64url");

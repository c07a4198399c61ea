import type { Role } from "../auth/user-schemas.ts";

/**
 * Who is acting or asking. A signed-in `Principal` is one (its id and roles are all that matter here); the
 * operator at the machine (the CLI, scripts, workers) is `OPERATOR`. Reads also take `null`: an anonymous
 * visitor.
 */
export interface Actor {
  /** The user's id; null for the operator, who is no user and owns nothing. */
  readonly id: number | null;
  readonly roles: readonly Role[];
}

/** An actor, or `null` for an anonymous visitor. */
export type Viewer = Actor | null;

/** The operator at the machine (CLI, scripts, workers): every right, as an admin has. */
export const OPERATOR: Actor = Object.freeze({ id: null, roles: Object.freeze(["admin"] as Role[]) });

export const isAdmin = (viewer: Viewer): boolean => viewer?.roles.includes("admin") ?? false;

/**
 * Signed in, but neither admin nor researcher: an annotator. Annotators see no link states, votes or
 * predictions anywhere, so that no page tells them which images of a task are gold questions, or their answers.
 */
export const isAnnotatorOnly = (viewer: Viewer): boolean =>
  viewer !== null && !viewer.roles.includes("admin") && !viewer.roles.includes("researcher");

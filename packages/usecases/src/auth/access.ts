import type { Principal, Role } from "./user-schemas.ts";

/** Who may call a route: anyone, any signed-in user, or users holding one of the roles. */
export type Access = "public" | "signed-in" | readonly Role[];

export type Verdict = "allowed" | "unauthenticated" | "forbidden";

export function checkAccess(access: Access, principal: Principal | null): Verdict {
  if (access === "public") return "allowed";
  if (!principal) return "unauthenticated";
  if (access === "signed-in") return "allowed";
  return access.some((role) => principal.roles.includes(role)) ? "allowed" : "forbidden";
}

export function describeAccess(access: Access): string {
  if (access === "public") return "anyone";
  if (access === "signed-in") return "any signed-in user";
  return `users with the ${access.join(" or ")} role`;
}

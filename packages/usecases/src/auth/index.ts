export { createFirstAdmin, createUser, hasUsers, UserExistsError } from "./create-user.ts";
export { type Access, checkAccess, describeAccess, PAGE_POLICY, ROUTE_POLICY, type RouteKey } from "./route-policy.ts";
export { authenticate, createApiToken, SESSION_DAYS, signIn, signOut } from "./sessions.ts";
export { credentialsSchema, newUserSchema, type Principal, ROLES, type Role, roleSchema } from "./user-schemas.ts";

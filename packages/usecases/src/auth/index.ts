export { type Access, checkAccess, describeAccess } from "./access.ts";
export { createFirstAdmin, createUser, hasUsers } from "./create-user.ts";
export { authenticate, createApiToken, SESSION_DAYS, signIn, signOut } from "./sessions.ts";
export {
  credentialsSchema,
  currentUserSchema,
  type FirstAdmin,
  firstAdminSchema,
  type NewUser,
  newUserSchema,
  type Principal,
  principalSchema,
  ROLES,
  type Role,
  roleSchema,
  signedOutSchema,
} from "./user-schemas.ts";

export { type Access, checkAccess, describeAccess } from "./access.ts";
export { createApiToken, listApiTokens, revokeApiToken, type TokenOwner } from "./api-tokens.ts";
export { clientAddress } from "./client-address.ts";
export { createFirstAdmin, createUser, hasUsers } from "./create-user.ts";
export { getUser } from "./get-user.ts";
export { MIN_PASSWORD_LENGTH, MIN_PASSWORD_SCORE } from "./password-strength.ts";
export { type RateLimitPolicy, SIGNUP_POLICY, SUBMISSION_ATTEMPT_POLICY, takeRateLimit } from "./rate-limit.ts";
export { authenticate, SESSION_DAYS, type SignInContext, signIn, signOut } from "./sessions.ts";
export { type BlockResult, setUserBlocked } from "./set-user-blocked.ts";
export { type SignUpContext, type SignUpInput, signUp, signUpSchema } from "./sign-up.ts";
export {
  type ApiTokenRow,
  apiTokenListQuery,
  apiTokenListSchema,
  apiTokenSchema,
  type CreatedApiToken,
  createdApiTokenSchema,
  MAX_TOKEN_DAYS,
  type NewApiToken,
  newApiTokenSchema,
} from "./token-schemas.ts";
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

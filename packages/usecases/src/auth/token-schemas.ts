import { z } from "zod";
import { idSchema } from "../request-params.ts";

/** API contracts of API tokens (the CLI's and the trainer's bearer credentials). */

export const MAX_TOKEN_DAYS = 3650;

export const newApiTokenSchema = z
  .object({
    name: z.string().trim().min(1, "name the token (what it is for)").max(100),
    expiresInDays: z
      .number({ error: "expiresInDays is a number of days" })
      .int("expiresInDays is a whole number of days")
      .min(1, "a token lasts at least 1 day")
      .max(MAX_TOKEN_DAYS, `a token lasts at most ${MAX_TOKEN_DAYS} days`)
      .nullable()
      .optional()
      .describe("days until it stops working; absent or null: it never expires"),
  })
  .meta({ id: "NewApiToken" });
export type NewApiToken = z.input<typeof newApiTokenSchema>;

export const apiTokenSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    userId: z.number().int(),
    email: z.string().describe("the owner's email"),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string().nullable().describe("null: never expires"),
    revokedAt: z.string().nullable(),
    state: z.enum(["active", "expired", "revoked"]),
  })
  .meta({ id: "ApiToken" });
export type ApiTokenRow = z.infer<typeof apiTokenSchema>;

export const apiTokenListSchema = z.object({ items: z.array(apiTokenSchema) }).meta({ id: "ApiTokenList" });

export const createdApiTokenSchema = apiTokenSchema
  .extend({ token: z.string().describe("the secret, shown this once: send it as Authorization: Bearer <token>") })
  .meta({ id: "CreatedApiToken" });
export type CreatedApiToken = z.infer<typeof createdApiTokenSchema>;

export const apiTokenListQuery = z.object({
  userId: idSchema("user").optional().describe("admins: whose tokens (default: your own)"),
});

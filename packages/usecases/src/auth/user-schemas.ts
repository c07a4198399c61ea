import { z } from "zod";

export const ROLES = ["annotator", "admin", "researcher", "participant"] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const newUserSchema = z.object({
  email: z.email("a valid email address").toLowerCase(),
  password: z.string().min(10, "passwords have at least 10 characters").max(200),
  roles: z.array(roleSchema).min(1, "give the user at least one role"),
  name: z.string().trim().min(1).max(100).optional(),
});
export type NewUser = z.input<typeof newUserSchema>;

/** The first-run form: the first admin gets every role, so it names none. */
export const firstAdminSchema = newUserSchema.omit({ roles: true }).meta({ id: "FirstAdmin" });
export type FirstAdmin = z.input<typeof firstAdminSchema>;

export const credentialsSchema = z
  .object({
    email: z.string().trim().toLowerCase().min(1).max(320),
    password: z.string().min(1).max(200),
  })
  .meta({ id: "Credentials" });

/** What the server knows about whoever made a request. */
export const principalSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    name: z.string().nullable(),
    roles: z.array(roleSchema),
  })
  .meta({ id: "Principal" });
export type Principal = z.infer<typeof principalSchema>;

/** The answer naming the signed-in user (sign-in, first-run setup, who am I). */
export const currentUserSchema = z.object({ user: principalSchema }).meta({ id: "CurrentUser" });

export const signedOutSchema = z.object({ ok: z.literal(true) }).meta({ id: "SignedOut" });

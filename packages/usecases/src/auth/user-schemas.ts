import { z } from "zod";

export const ROLES = ["annotator", "admin", "researcher"] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const newUserSchema = z.object({
  email: z.email("a valid email address").transform((e) => e.toLowerCase()),
  password: z.string().min(10, "passwords have at least 10 characters").max(200),
  roles: z.array(roleSchema).min(1, "give the user at least one role"),
  name: z.string().trim().min(1).max(100).optional(),
});
export type NewUser = z.input<typeof newUserSchema>;

export const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().min(1),
  password: z.string().min(1).max(200),
});

/** What the server knows about whoever made a request. */
export interface Principal {
  id: number;
  email: string;
  name: string | null;
  roles: Role[];
}

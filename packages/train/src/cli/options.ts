import { z } from "zod";
import { backendChoiceSchema } from "../training/config.ts";

/** Commander hands over strings; these coerce and validate them at the boundary. */
export const intFlag = z.coerce.number().int().positive();
export const nonNegIntFlag = z.coerce.number().int().nonnegative();
export const numFlag = z.coerce.number();
export const backendFlag = backendChoiceSchema.optional();

export function parseFlags<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`--${String(issue?.path.join(".") ?? "?")}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

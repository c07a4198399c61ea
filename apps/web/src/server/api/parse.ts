import { UseCaseError } from "@arbor/usecases";
import type { z } from "zod";

/** Parses request input with a zod schema; a failure is an `invalid` error naming every problem. */
export function parseOrInvalid<S extends z.ZodType>(schema: S, input: unknown, prefix?: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw UseCaseError.fromZod(result.error, prefix);
  return result.data;
}

/**
 * PostgreSQL text cannot hold NUL (U+0000): any string that would reach it with one is refused as input,
 * wherever it sits in the params, query or body, instead of failing in the database as a 500.
 */
export function refuseNul(value: unknown, where: string): void {
  if (typeof value === "string") {
    if (value.includes("\0")) throw new UseCaseError("invalid", `${where}: text must not contain NUL characters`);
  } else if (Array.isArray(value)) {
    for (const item of value) refuseNul(item, where);
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      refuseNul(key, where);
      refuseNul(item, where);
    }
  }
}

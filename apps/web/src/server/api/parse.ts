import { UseCaseError } from "@arbor/usecases";
import type { z } from "zod";

/** Parses request input with a zod schema; a failure is an `invalid` error naming every problem. */
export function parseOrInvalid<S extends z.ZodType>(schema: S, input: unknown, prefix?: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw UseCaseError.fromZod(result.error, prefix);
  return result.data;
}

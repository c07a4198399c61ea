/** Option checks shared by both stores, so each fails the same way on nonsense. */
import { z } from "zod";
import type { PresignOptions } from "./blob-store.ts";

/** S3 refuses SigV4 presigned URLs valid for more than 7 days; the local store keeps the same limit. */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 60 * 60;

const presignOptionsSchema = z.object({
  expiresInSeconds: z
    .number()
    .int("expiresInSeconds must be a whole number")
    .min(1, "expiresInSeconds must be at least 1")
    .max(MAX_PRESIGN_SECONDS, `expiresInSeconds must be at most ${MAX_PRESIGN_SECONDS} (7 days)`),
  method: z.enum(["GET", "PUT"]).default("GET"),
  origin: z
    .url({ protocol: /^https?$/, error: "origin must be an http(s) URL" })
    .transform((url) => new URL(url).origin)
    .optional(),
});

export type CheckedPresignOptions = z.output<typeof presignOptionsSchema>;

export function checkPresignOptions(options: PresignOptions): CheckedPresignOptions {
  const parsed = presignOptionsSchema.safeParse(options);
  if (!parsed.success) throw new RangeError(`invalid presign options: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The list limit as a number (Infinity when absent). */
export function checkListLimit(limit: number | undefined): number {
  if (limit === undefined) return Number.POSITIVE_INFINITY;
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`list limit must be a positive integer (got ${limit})`);
  return limit;
}

import { blobKeyProblem, blobPrefixProblem, describeKey } from "@arbor/core";
import { z } from "zod";

/**
 * Blob keys are paths on the local disk and object names in S3, so they are never built from user input
 * unchecked: every store method validates its key here, by the rules in `@arbor/core` (blob-key.ts), which
 * make `..`, absolute paths, backslashes and empty segments impossible and keep keys URL-safe.
 */

export class InvalidBlobKeyError extends Error {
  override readonly name = "InvalidBlobKeyError";
}

export const blobKeySchema = z.string().superRefine((key, ctx) => {
  const problem = blobKeyProblem(key);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export function assertValidKey(key: string): void {
  const parsed = blobKeySchema.safeParse(key);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => issue.message).join("; ");
    throw new InvalidBlobKeyError(`invalid blob key ${describeKey(key)}: ${problems}`);
  }
}

/** A list prefix is "", a valid key, or a valid key followed by "/" (a partial last segment is fine). */
export function assertValidPrefix(prefix: string): void {
  const problem = blobPrefixProblem(prefix);
  if (problem) throw new InvalidBlobKeyError(`invalid blob key prefix ${describeKey(prefix)}: ${problem}`);
}

const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, "sha256 must be 64 lowercase hex characters");
const extensionSchema = z.string().regex(/^[a-z0-9]{1,8}$/, "extension must be 1-8 characters of a-z 0-9, no dot");
const contentKindSchema = z.enum(["originals", "thumbnails"]);

export type ContentKind = z.infer<typeof contentKindSchema>;

/**
 * Content-addressed key: `originals/ab/cd/<sha256>.<ext>`. The two fan-out levels keep directories small on
 * local disk (65 536 leaves) and spread S3 request load across prefixes.
 */
export function contentKey(kind: ContentKind, sha256Hex: string, extension: string): string {
  const parsed = z.tuple([contentKindSchema, sha256HexSchema, extensionSchema]).safeParse([kind, sha256Hex, extension]);
  if (!parsed.success) {
    throw new InvalidBlobKeyError(`invalid content key parts: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  }
  return `${kind}/${sha256Hex.slice(0, 2)}/${sha256Hex.slice(2, 4)}/${sha256Hex}.${extension}`;
}

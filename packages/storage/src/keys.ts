import { z } from "zod";

/**
 * Blob keys are paths on the local disk and object names in S3, so they are never built from user input
 * unchecked: every store method validates its key here. The rules make `..`, absolute paths, backslashes
 * and empty segments impossible, and keep keys URL-safe so presigned URLs need no escaping.
 */

export const MAX_KEY_LENGTH = 1024;
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._=-]*$/;

export class InvalidBlobKeyError extends Error {
  override readonly name = "InvalidBlobKeyError";
}

/** Why `key` is not a valid blob key, or undefined when it is. */
function keyProblem(key: string): string | undefined {
  if (key.length === 0) return "must not be empty";
  if (key.length > MAX_KEY_LENGTH) return `must be at most ${MAX_KEY_LENGTH} characters (got ${key.length})`;
  if (key.includes("\0")) return "must not contain NUL";
  if (key.includes("\\")) return "must not contain a backslash; separate segments with /";
  if (key.startsWith("/")) return "must be relative (no leading /)";
  for (const segment of key.split("/")) {
    if (segment === "") return "must not contain empty segments (//, or a trailing /)";
    if (segment === "." || segment === "..") return `must not contain a "${segment}" segment`;
    if (!SEGMENT.test(segment)) {
      return `segment ${JSON.stringify(segment)} must start with a letter or digit and contain only A-Z a-z 0-9 . _ = -`;
    }
  }
  return undefined;
}

export const blobKeySchema = z.string().superRefine((key, ctx) => {
  const problem = keyProblem(key);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** Shows a key in an error message without flooding it (keys can be 1 KiB) or hiding control characters. */
function describeKey(key: unknown): string {
  if (typeof key !== "string") return `of type ${typeof key}`;
  return JSON.stringify(key.length > 80 ? `${key.slice(0, 80)}…` : key);
}

export function assertValidKey(key: string): void {
  const parsed = blobKeySchema.safeParse(key);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => issue.message).join("; ");
    throw new InvalidBlobKeyError(`invalid blob key ${describeKey(key)}: ${problems}`);
  }
}

/** A list prefix is "", a valid key, or a valid key followed by "/" (a partial last segment is fine). */
export function assertValidPrefix(prefix: string): void {
  if (prefix === "") return;
  const problem =
    typeof prefix === "string" ? keyProblem(prefix.endsWith("/") ? prefix.slice(0, -1) : prefix) : "must be a string";
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

export interface S3Location {
  bucket: string;
  /** Key prefix inside the bucket, as written (may be empty; a trailing "/" is kept). */
  prefix: string;
}

/** Why `bucket` breaks the S3 general-purpose bucket naming rules, or undefined when it follows them. */
function bucketProblem(bucket: string): string | undefined {
  if (bucket.length < 3 || bucket.length > 63) return "must be 3-63 characters long";
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(bucket)) {
    return "must use only lowercase letters, digits, dots and hyphens, and start and end with a letter or digit";
  }
  if (bucket.includes("..")) return "must not contain two adjacent dots";
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(bucket)) return "must not be formatted as an IP address";
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(bucket)) return "must not start with xn--, sthree- or amzn-s3-demo-";
  if (/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(bucket)) return "must not end with a reserved S3 suffix";
  return undefined;
}

/** `s3://bucket/some/prefix/` → `{ bucket: "bucket", prefix: "some/prefix/" }`. */
export function parseS3Url(url: string): S3Location {
  const match = /^s3:\/\/([^/]*)(?:\/(.*))?$/s.exec(url);
  if (!match) throw new InvalidBlobKeyError(`invalid S3 URL ${describeKey(url)}: expected s3://bucket/optional/prefix`);
  const bucket = match[1] ?? "";
  const prefix = match[2] ?? "";
  const problem = bucketProblem(bucket);
  if (problem) throw new InvalidBlobKeyError(`invalid S3 URL ${describeKey(url)}: bucket name ${problem}`);
  try {
    assertValidPrefix(prefix);
  } catch (error) {
    throw new InvalidBlobKeyError(`invalid S3 URL ${describeKey(url)}: ${(error as Error).message}`);
  }
  return { bucket, prefix };
}

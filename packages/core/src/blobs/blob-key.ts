/**
 * The rules a blob key follows. Keys are paths on the local disk and object names in S3, so they are never
 * built from user input unchecked: `..`, absolute paths, backslashes and empty segments are impossible, and
 * keys stay URL-safe so presigned URLs need no escaping. `@arbor/storage` enforces them on every store call.
 */

export const MAX_KEY_LENGTH = 1024;
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._=-]*$/;
/**
 * A whole valid key in one test: segments that each start with a letter or digit can be neither empty nor
 * "." or "..". Checked first because exports check every image's key (10,000 split-and-test walks cost
 * ~15 ms of a 0.5 s export); the walk below only explains a refusal.
 */
const KEY = /^[A-Za-z0-9][A-Za-z0-9._=-]*(?:\/[A-Za-z0-9][A-Za-z0-9._=-]*)*$/;

/** Why `key` is not a valid blob key, or undefined when it is. */
export function blobKeyProblem(key: string): string | undefined {
  if (key.length <= MAX_KEY_LENGTH && KEY.test(key)) return undefined;
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

/** Why `prefix` is not a list prefix: "", a valid key, or a valid key followed by "/". */
export function blobPrefixProblem(prefix: unknown): string | undefined {
  if (prefix === "") return undefined;
  if (typeof prefix !== "string") return "must be a string";
  return blobKeyProblem(prefix.endsWith("/") ? prefix.slice(0, -1) : prefix);
}

/** Shows a key in an error message without flooding it (keys can be 1 KiB) or hiding control characters. */
export function describeKey(key: unknown): string {
  if (typeof key !== "string") return `of type ${typeof key}`;
  return JSON.stringify(key.length > 80 ? `${key.slice(0, 80)}…` : key);
}

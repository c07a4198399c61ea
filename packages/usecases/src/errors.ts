/**
 * The one way a use-case says "no": a UseCaseError with a kind. Use-cases know nothing of HTTP; the web's
 * route wrapper maps each kind to a status once (`apps/web/src/server/api/error-response.ts`), the CLI prints
 * the message. Anything else thrown is a bug and becomes a logged 500 that reveals nothing.
 */
export type ErrorKind =
  /** The input is malformed (a bad id, a missing field, a body that is not JSON). */
  | "invalid"
  /** The caller must sign in first. */
  | "unauthenticated"
  /** The caller is known but may not do this (role, ownership, a path outside the allowed roots). */
  | "forbidden"
  /** The thing named does not exist (or the caller may not know that it does). */
  | "not-found"
  /** The request clashes with the current state (already exists, lease expired, already set up). */
  | "conflict"
  /** The body or a file is over its limit. */
  | "too-large"
  /** The body is of a type this operation does not take. */
  | "unsupported-type"
  /** Well-formed, but cannot be done as asked (a dataset definition whose classes conflict). */
  | "unprocessable"
  /** Too many attempts; `retryAfterSeconds` says when to try again. */
  | "rate-limited";

export class UseCaseError extends Error {
  override readonly name = "UseCaseError";
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** Structured detail for the UI (e.g. the conflict list of a refused dataset definition). */
    readonly detail?: unknown,
    /** With `rate-limited`: seconds until the next attempt may succeed. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** Every problem zod found, each with where it is ("splits.train: …"), in one `invalid` message. */
  static fromZod(error: ZodLikeError, prefix?: string): UseCaseError {
    return new UseCaseError("invalid", formatZodIssues(error, prefix));
  }
}

interface ZodLikeError {
  issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }>;
}

export function formatZodIssues(error: ZodLikeError, prefix?: string): string {
  return error.issues
    .map((issue) => {
      const path = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join("; ");
}

export const invalid = (message: string, detail?: unknown) => new UseCaseError("invalid", message, detail);
export const notFound = (message: string) => new UseCaseError("not-found", message);
export const forbidden = (message: string) => new UseCaseError("forbidden", message);
export const conflict = (message: string, detail?: unknown) => new UseCaseError("conflict", message, detail);
export const tooLarge = (message: string) => new UseCaseError("too-large", message);
export const unprocessable = (message: string, detail?: unknown) => new UseCaseError("unprocessable", message, detail);

/** Parses with a zod schema, or throws an `invalid` UseCaseError naming every problem. */
export function parseInput<T>(
  schema: { safeParse(input: unknown): { success: true; data: T } | { success: false; error: ZodLikeError } },
  input: unknown,
  prefix?: string,
): T {
  const result = schema.safeParse(input);
  if (!result.success) throw UseCaseError.fromZod(result.error, prefix);
  return result.data;
}

import type { ErrorKind } from "@arbor/usecases";
import { NextResponse } from "next/server";

/** The one mapping from a use-case's error kind to an HTTP status. */
export const STATUS_OF_KIND = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  "not-found": 404,
  conflict: 409,
  "too-large": 413,
  "unsupported-type": 415,
  unprocessable: 422,
  "rate-limited": 429,
} as const satisfies Record<ErrorKind, number>;

/**
 * Errors are JSON everywhere in the API: `{"error": {"status", "message"}}`, plus `detail` where the UI needs
 * structure (e.g. the ancestor/descendant conflicts that refused a dataset definition).
 */
export function jsonError(
  status: number,
  message: string,
  detail?: unknown,
  headers?: Record<string, string>,
): NextResponse {
  return NextResponse.json(
    { error: { status, message, ...(detail === undefined ? {} : { detail }) } },
    { status, headers },
  );
}

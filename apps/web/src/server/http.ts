import { wnidSchema } from "@arbor/core";
import { NextResponse } from "next/server";
import { z } from "zod";

/** Errors are JSON everywhere in the API: `{"error": {"status", "message"}}`. */
export function jsonError(status: number, message: string): NextResponse {
  return NextResponse.json({ error: { status, message } }, { status });
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Parses input with a zod schema, turning a failure into a 400 with the first problem named. */
export function parseOr400<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
    throw new HttpError(400, `${where}${issue?.message ?? "invalid input"}`);
  }
  return result.data;
}

export function parseWnid(value: string): string {
  return parseOr400(wnidSchema, value);
}

const idSchema = z.coerce.number().int().positive().max(2_147_483_647);

/** A numeric id from the URL (images, runs), or a 400. */
export function parseId(value: string): number {
  return parseOr400(idSchema, value);
}

/** Wraps a route handler: HttpErrors become their JSON status; anything else is a logged 500. */
export function route<A extends unknown[]>(handler: (...args: A) => Promise<Response>) {
  return async (...args: A): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      if (error instanceof HttpError) return jsonError(error.status, error.message);
      console.error(error);
      return jsonError(500, "internal error");
    }
  };
}

import { wnidSchema } from "@arbor/core";
import { type Principal, ROUTE_POLICY, type RouteKey } from "@arbor/usecases";
import { NextResponse } from "next/server";
import { z } from "zod";
import { authorizeRequest } from "./api/authorize";
import { errorResponse } from "./api/define-route";
import { HttpError } from "./http-error";

/**
 * Errors are JSON everywhere in the API: `{"error": {"status", "message"}}`, plus `detail` where the UI needs
 * structure (e.g. the ancestor/descendant conflicts that refused a dataset definition).
 */
export function jsonError(status: number, message: string, detail?: unknown): NextResponse {
  return NextResponse.json({ error: { status, message, ...(detail === undefined ? {} : { detail }) } }, { status });
}

/** The request's JSON body, or a 400 (and, given a limit, a 413 for a larger body). */
export async function readJson(request: Request, maxBytes?: number): Promise<unknown> {
  if (maxBytes === undefined) {
    return request.json().catch(() => {
      throw new HttpError(400, "expected a JSON body");
    });
  }
  const text = await readText(request, maxBytes);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "expected a JSON body");
  }
}

/**
 * The request's body as text, or a 413 once it grows past `maxBytes` (checked against a declared
 * Content-Length first, then while streaming, so an oversized body is never held in memory whole).
 */
export async function readText(request: Request, maxBytes: number): Promise<string> {
  const tooLarge = () => new HttpError(413, `the body is over the ${Math.round(maxBytes / 1024 / 1024)} MB limit`);
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export { HttpError };

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

/**
 * Wraps a route handler: enforces the route's entry in ROUTE_POLICY before anything else runs, then maps
 * HttpErrors to their JSON status; anything else is a logged 500 that reveals nothing.
 */
export function route<R extends Request, C>(
  key: RouteKey,
  handler: (request: R, context: C, principal: Principal | null) => Promise<Response>,
) {
  return async (request: R, context: C): Promise<Response> => {
    try {
      const principal = await authorizeRequest(request, ROUTE_POLICY[key]);
      return await handler(request, context, principal);
    } catch (error) {
      if (error instanceof HttpError) return jsonError(error.status, error.message, error.detail);
      return errorResponse(error);
    }
  };
}

import { type Access, getServices, type Principal, type Services, UseCaseError } from "@arbor/usecases";
import type { z } from "zod";
import { authorizeRequest } from "./authorize";
import { type BodySpec, type BodyValue, readBodyFor } from "./body-spec";
import { jsonError, STATUS_OF_KIND } from "./error-response";
import { parseOrInvalid, refuseNul } from "./parse";
import { checkDeclaredLength } from "./read-body";
import type { ResponseSpecs, SuccessBody } from "./response-spec";

/** A route without a body spec still refuses a declared body over this (a stray `{}` is fine). */
const NO_BODY_MAX_BYTES = 16 * 1024;

type ObjectSchema = z.ZodObject;

export interface RouteDefinition<
  A extends Access = Access,
  P extends ObjectSchema | undefined = ObjectSchema | undefined,
  Q extends ObjectSchema | undefined = ObjectSchema | undefined,
  B extends BodySpec | undefined = BodySpec | undefined,
  R extends ResponseSpecs = ResponseSpecs,
> {
  /** Who may call it: enforced before anything else runs, and published as the operation's `x-access`. */
  access: A;
  summary: string;
  description?: string;
  /** The URL's `{params}`, parsed (a failure is a 400 naming the parameter). */
  params?: P;
  /** The query string, parsed. */
  query?: Q;
  /** How the body is read and parsed, always under a byte cap. */
  body?: B;
  /** Every answer the route gives, by status: the OpenAPI document's responses. */
  responses: R;
  handler: (input: HandlerInput<A, P, Q, B>) => Promise<Response | SuccessBody<R>>;
}

export interface HandlerInput<A extends Access, P, Q, B> {
  request: Request;
  /** Non-null whenever the route needs a signed-in caller. */
  principal: A extends "public" ? Principal | null : Principal;
  params: P extends ObjectSchema ? z.infer<P> : Record<string, never>;
  query: Q extends ObjectSchema ? z.infer<Q> : Record<string, never>;
  body: B extends BodySpec ? BodyValue<B> : undefined;
  services: Services;
}

/** A route handler as Next calls it, carrying its definition (read by the OpenAPI document and the tests). */
export type DefinedRoute = ((request: Request, context: { params: Promise<unknown> }) => Promise<Response>) & {
  definition: RouteDefinition;
};

/**
 * The one way to write an API route: the definition states access, input and output; this wrapper enforces
 * access first, reads and parses params, query and body (size-capped), calls the handler, turns a plain
 * return value into JSON with the route's success status, and maps use-case errors to their status once.
 * Anything else thrown is logged and answered as a 500 that reveals nothing.
 */
export function defineRoute<
  A extends Access,
  P extends ObjectSchema | undefined = undefined,
  Q extends ObjectSchema | undefined = undefined,
  B extends BodySpec | undefined = undefined,
  R extends ResponseSpecs = ResponseSpecs,
>(definition: RouteDefinition<A, P, Q, B, R>): DefinedRoute {
  const successStatus = Number(Object.keys(definition.responses).find((s) => s.startsWith("2")) ?? 200);
  const handle = async (request: Request, context: { params: Promise<unknown> }): Promise<Response> => {
    try {
      const principal = await authorizeRequest(request, definition.access);
      const rawParams = (await context?.params) ?? {};
      const rawQuery = Object.fromEntries(new URL(request.url).searchParams);
      refuseNul(rawParams, "path");
      refuseNul(rawQuery, "query");
      const params = definition.params ? parseOrInvalid(definition.params, rawParams) : {};
      const query = definition.query ? parseOrInvalid(definition.query, rawQuery) : {};
      if (!definition.body) checkDeclaredLength(request, NO_BODY_MAX_BYTES);
      const body = definition.body ? await readBodyFor(definition.body, request) : undefined;
      const result = await definition.handler({
        request,
        principal,
        params,
        query,
        body,
        services: await getServices(),
      } as HandlerInput<A, P, Q, B>);
      return result instanceof Response ? result : Response.json(result, { status: successStatus });
    } catch (error) {
      return errorResponse(error);
    }
  };
  return Object.assign(handle, { definition: definition as unknown as RouteDefinition });
}

export function errorResponse(error: unknown): Response {
  if (error instanceof UseCaseError) {
    const headers =
      error.retryAfterSeconds === undefined ? undefined : { "Retry-After": String(Math.ceil(error.retryAfterSeconds)) };
    return jsonError(STATUS_OF_KIND[error.kind], error.message, error.detail, headers);
  }
  console.error(error);
  return jsonError(500, "internal error");
}

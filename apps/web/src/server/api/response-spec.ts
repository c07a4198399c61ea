import type { z } from "zod";

/** A JSON answer described by a zod schema (with `.meta({id})`, it becomes a named component). */
export interface JsonResponseSpec<S extends z.ZodType = z.ZodType> {
  kind: "json";
  schema: S;
  description: string;
  headers?: Record<string, { description: string }>;
}

/** A non-JSON answer (image bytes, a file), described for the document only. */
export interface ContentResponseSpec {
  kind: "content";
  mediaType: string;
  description: string;
}

/** An answer without a body (204, 304), and the headers it may carry instead. */
export interface EmptyResponseSpec {
  kind: "empty";
  description: string;
  headers?: Record<string, { description: string }>;
}

/** A plain string describes an error answer (the API's JSON error body). */
export type ResponseSpec = JsonResponseSpec | ContentResponseSpec | EmptyResponseSpec | string;
export type ResponseSpecs = { [status: number]: ResponseSpec };

export function ok<S extends z.ZodType>(
  schema: S,
  description: string,
  headers?: Record<string, { description: string }>,
): JsonResponseSpec<S> {
  return { kind: "json", schema, description, headers };
}

export function content(mediaType: string, description: string): ContentResponseSpec {
  return { kind: "content", mediaType, description };
}

export function empty(description: string, headers?: Record<string, { description: string }>): EmptyResponseSpec {
  return { kind: "empty", description, headers };
}

type SuccessStatus = 200 | 201 | 202;

/** What a handler may return instead of a Response: the input of any of its JSON success schemas. */
export type SuccessBody<R extends ResponseSpecs> = {
  [K in keyof R]: K extends SuccessStatus ? (R[K] extends JsonResponseSpec<infer S> ? z.input<S> : never) : never;
}[keyof R];

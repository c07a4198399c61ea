import { UseCaseError } from "@arbor/usecases";
import type { z } from "zod";
import { parseOrInvalid, refuseNul } from "./parse";
import { cappedStream, checkDeclaredLength, readForm, readJson, readText } from "./read-body";

/** JSON bodies are small unless a route says otherwise. */
export const DEFAULT_JSON_MAX_BYTES = 64 * 1024;

/** How a route's body is read: every kind has a byte cap, enforced while the body streams in. */
export type BodySpec =
  | { kind: "json"; schema: z.ZodType; maxBytes: number; description?: string }
  | { kind: "text"; contentType: string; maxBytes: number; description?: string; itemSchema?: z.ZodType }
  | { kind: "form"; maxBytes: number; description?: string; schema?: Record<string, unknown> }
  | { kind: "stream"; contentType: string; maxBytes: number; description?: string };

export type BodyValue<B extends BodySpec> = B extends { kind: "json"; schema: infer S extends z.ZodType }
  ? z.infer<S>
  : B extends { kind: "text" }
    ? string
    : B extends { kind: "form" }
      ? FormData
      : ReadableStream<Uint8Array>;

/** A JSON body parsed by `schema` (a request schema that lives beside its use-case, with `.meta({id})`). */
export function jsonBody<S extends z.ZodType>(
  schema: S,
  options: { maxBytes?: number; description?: string } = {},
): { kind: "json"; schema: S; maxBytes: number; description?: string } {
  return {
    kind: "json",
    schema,
    maxBytes: options.maxBytes ?? DEFAULT_JSON_MAX_BYTES,
    description: options.description,
  };
}

/**
 * A text body (JSON lines); a form posted instead is refused as the wrong type. `itemSchema` documents one
 * line (published as the media type's `x-item-schema`); the use-case parses the lines.
 */
export function textBody(contentType: string, maxBytes: number, description?: string, itemSchema?: z.ZodType) {
  return { kind: "text", contentType, maxBytes, description, itemSchema } as const;
}

export function formBody(maxBytes: number, description?: string, schema?: Record<string, unknown>) {
  return { kind: "form", maxBytes, description, schema } as const;
}

/** The raw body as a stream that fails past `maxBytes` (a large file streamed into the blob store). */
export function streamBody(contentType: string, maxBytes: number, description?: string) {
  return { kind: "stream", contentType, maxBytes, description } as const;
}

const FORM_TYPE = /^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i;

export async function readBodyFor(spec: BodySpec, request: Request): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  switch (spec.kind) {
    case "json": {
      const json = await readJson(request, spec.maxBytes);
      refuseNul(json, "body");
      return parseOrInvalid(spec.schema, json);
    }
    case "text": {
      if (FORM_TYPE.test(type)) throw new UseCaseError("unsupported-type", `send the body as ${spec.contentType}`);
      const text = await readText(request, spec.maxBytes);
      // Raw or JSON-escaped (JSON lines): either would reach PostgreSQL text as NUL.
      if (text.includes("\0") || /\\u0000/i.test(text)) {
        throw new UseCaseError("invalid", "body: text must not contain NUL characters");
      }
      return text;
    }
    case "form":
      if (!FORM_TYPE.test(type)) throw new UseCaseError("invalid", "expected multipart/form-data");
      return readForm(request, spec.maxBytes);
    case "stream":
      checkDeclaredLength(request, spec.maxBytes);
      if (!request.body) throw new UseCaseError("invalid", "expected a body");
      return cappedStream(request.body, spec.maxBytes);
  }
}

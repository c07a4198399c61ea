import { z } from "zod";
import type { DefinedRoute, RouteDefinition } from "./define-route";
import { formatBytes } from "./read-body";
import type { ResponseSpec } from "./response-spec";
import { API_ROUTES } from "./route-index";

/**
 * The REST API's OpenAPI 3.1 document, generated from the route definitions (access, params, query, body,
 * responses): it cannot drift from what the handlers enforce. Every zod schema with `.meta({id})` becomes a
 * component; references between them stay `$ref`s.
 */
export function openApiDocument() {
  const { schemas } = z.toJSONSchema(z.globalRegistry, {
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: "any",
    override: datesAsStrings,
  });
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, module] of Object.entries(API_ROUTES)) {
    for (const [method, handler] of Object.entries(module)) {
      const definition = (handler as Partial<DefinedRoute>).definition;
      if (!definition) continue;
      paths[path] ??= {};
      (paths[path] as Record<string, unknown>)[method.toLowerCase()] = operation(definition);
    }
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Arbor API",
      version: "1",
      description: "Arbor builds ImageNet-style datasets on the WordNet 3.0 noun hierarchy.",
    },
    servers: [{ url: "/api/v1" }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "an API token: npx arbor token create --email …" },
        session: { type: "apiKey", in: "cookie", name: "arbor_session" },
      },
    },
  };
}

const errorSchema = z
  .object({
    error: z.object({
      status: z.number().int(),
      message: z.string(),
      detail: z.unknown().optional().meta({ description: "structure for the UI, where a route gives it" }),
    }),
  })
  .meta({ id: "Error" });

function operation(definition: RouteDefinition): Record<string, unknown> {
  const parameters = [...parametersOf(definition.params, "path"), ...parametersOf(definition.query, "query")];
  const op: Record<string, unknown> = { summary: definition.summary };
  if (definition.description) op.description = definition.description;
  if (parameters.length > 0) op.parameters = parameters;
  if (definition.body) op.requestBody = requestBodyOf(definition.body);
  op.responses = Object.fromEntries(
    Object.entries({ ...wrapperResponses(definition), ...definition.responses }).map(([status, spec]) => [
      status,
      responseOf(spec),
    ]),
  );
  op["x-access"] = definition.access;
  if (definition.access !== "public") op.security = [{ bearer: [] }, { session: [] }];
  return op;
}

/** The answers the wrapper itself gives before or around the handler (a route may describe them better). */
function wrapperResponses(definition: RouteDefinition): Record<number, string> {
  const answers: Record<number, string> = {};
  if (definition.params || definition.query || definition.body)
    answers[400] = "invalid input (the message names the field)";
  if (definition.access !== "public") answers[401] = "not signed in";
  if (Array.isArray(definition.access)) answers[403] = `only ${definition.access.join(" or ")} may do this`;
  if (definition.body) answers[413] = `the body is over its ${formatBytes(definition.body.maxBytes)} limit`;
  if (definition.body?.kind === "text") answers[415] = `the body must be ${definition.body.contentType}`;
  return answers;
}

function parametersOf(schema: z.ZodObject | undefined, where: "path" | "query") {
  if (!schema) return [];
  return Object.entries(schema.shape).map(([name, field]) => {
    const { description, ...json } = inline(field as z.ZodType, "input") as { description?: string };
    return {
      name,
      in: where,
      required: where === "path" || !(field as z.ZodType).safeParse(undefined).success,
      ...(description ? { description } : {}),
      schema: json,
    };
  });
}

function requestBodyOf(body: NonNullable<RouteDefinition["body"]>) {
  const description = body.description ? { description: body.description } : {};
  switch (body.kind) {
    case "json":
      return { required: true, ...description, content: { "application/json": { schema: schemaRef(body.schema) } } };
    case "text":
    case "stream":
      return {
        required: true,
        ...description,
        content: {
          [body.contentType]: {
            schema: { type: "string", format: body.kind === "stream" ? "binary" : undefined },
            ...(body.kind === "text" && body.itemSchema ? { "x-item-schema": schemaRef(body.itemSchema) } : {}),
          },
        },
      };
    case "form":
      return {
        required: true,
        ...description,
        content: { "multipart/form-data": { schema: body.schema ?? { type: "object" } } },
      };
  }
}

function responseOf(spec: ResponseSpec) {
  if (typeof spec === "string") {
    return { description: spec, content: { "application/json": { schema: schemaRef(errorSchema) } } };
  }
  switch (spec.kind) {
    case "json":
      return {
        description: spec.description,
        ...(spec.headers ? { headers: spec.headers } : {}),
        content: { "application/json": { schema: schemaRef(spec.schema) } },
      };
    case "content":
      return {
        description: spec.description,
        content: { [spec.mediaType]: { schema: { type: "string", format: "binary" } } },
      };
    case "empty":
      return { description: spec.description, ...(spec.headers ? { headers: spec.headers } : {}) };
  }
}

/** A named schema as a `$ref` to its component; an unnamed one inline. */
function schemaRef(schema: z.ZodType): Record<string, unknown> {
  const id = (schema.meta() as { id?: string } | undefined)?.id;
  return id ? { $ref: `#/components/schemas/${id}` } : inline(schema, "output");
}

function inline(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _, ...json } = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    override: datesAsStrings,
  }) as Record<string, unknown>;
  return json;
}

/** A `Date` travels as its ISO string (`Response.json` calls `toJSON`): document it as one. */
function datesAsStrings(ctx: { zodSchema: z.core.$ZodType; jsonSchema: Record<string, unknown> }): void {
  if (ctx.zodSchema._zod.def.type === "date") {
    ctx.jsonSchema.type = "string";
    ctx.jsonSchema.format = "date-time";
  }
}

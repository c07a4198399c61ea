import { z } from "zod";

/** Building blocks of the OpenAPI document shared by the path groups. */

export const errorSchema = z
  .object({ error: z.object({ status: z.number().int(), message: z.string() }) })
  .meta({ id: "Error" });

export const ref = (schema: z.ZodType) => ({ $ref: `#/components/schemas/${(schema.meta() as { id: string }).id}` });
export const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { "application/json": { schema: ref(schema) } },
});
export const error = (description: string) => json(errorSchema, description);
export const idParameter = (what: string) => ({
  name: "id",
  in: "path",
  required: true,
  description: `${what} id`,
  schema: { type: "integer", minimum: 1 },
});
export const blob = (description: string) => ({
  description: `${description}; content-addressed, so cached immutably (ETag, 304 on If-None-Match)`,
  content: { "image/*": { schema: { type: "string", format: "binary" } } },
});
export const wnidParameter = {
  name: "wnid",
  in: "path",
  required: true,
  description: 'WordNet 3.0 noun synset id, "n" + 8 digits',
  schema: { type: "string", pattern: "^n\\d{8}$", example: "n02084071" },
};

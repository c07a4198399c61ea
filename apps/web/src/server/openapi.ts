import { statsSchema, synsetChildrenSchema, synsetDetailSchema, synsetSearchResultSchema } from "@arbor/usecases";
import { z } from "zod";

/**
 * The REST API's OpenAPI 3.1 document. Response bodies are the use-cases' zod schemas, so the document
 * cannot drift from what handlers return; paths are listed here, one entry per route.
 */

const errorSchema = z
  .object({ error: z.object({ status: z.number().int(), message: z.string() }) })
  .meta({ id: "Error" });

const ref = (schema: z.ZodType) => ({ $ref: `#/components/schemas/${(schema.meta() as { id: string }).id}` });
const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { "application/json": { schema: ref(schema) } },
});
const error = (description: string) => json(errorSchema, description);
const wnidParameter = {
  name: "wnid",
  in: "path",
  required: true,
  description: 'WordNet 3.0 noun synset id, "n" + 8 digits',
  schema: { type: "string", pattern: "^n\\d{8}$", example: "n02084071" },
};

export function openApiDocument() {
  // Every schema given an id with .meta({ id }) becomes a component; references between them stay $refs.
  const { schemas } = z.toJSONSchema(z.globalRegistry, { uri: (id) => `#/components/schemas/${id}` });
  return {
    openapi: "3.1.0",
    info: {
      title: "Arbor API",
      version: "1",
      description: "Arbor builds ImageNet-style datasets on the WordNet 3.0 noun hierarchy.",
    },
    servers: [{ url: "/api/v1" }],
    paths: {
      "/health": {
        get: {
          summary: "Liveness",
          responses: {
            200: {
              description: "the server is up",
              content: { "application/json": { schema: { type: "object", properties: { ok: { const: true } } } } },
            },
          },
        },
      },
      "/stats": {
        get: { summary: "Counts of synsets, edges and images", responses: { 200: json(statsSchema, "totals") } },
      },
      "/synsets": {
        get: {
          summary: "Search synsets by wnid, lemma (exact, then prefix) or gloss words",
          parameters: [
            { name: "q", in: "query", required: true, schema: { type: "string", minLength: 1, maxLength: 200 } },
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 20 } },
          ],
          responses: {
            200: json(synsetSearchResultSchema, "ranked matches"),
            400: error("missing or invalid q/limit"),
          },
        },
      },
      "/synsets/{wnid}": {
        get: {
          summary: "A synset with parents, children, paths to the root and image counts",
          parameters: [wnidParameter],
          responses: {
            200: json(synsetDetailSchema, "the synset"),
            400: error("malformed wnid"),
            404: error("no such synset"),
          },
        },
      },
      "/synsets/{wnid}/children": {
        get: {
          summary: "The children of a synset with their counts (for lazy tree expansion)",
          parameters: [wnidParameter],
          responses: {
            200: json(synsetChildrenSchema, "the children"),
            400: error("malformed wnid"),
            404: error("no such synset"),
          },
        },
      },
    },
    components: { schemas },
  };
}

import { MATCH_KINDS, wnidSchema } from "@arbor/core";
import { z } from "zod";

/** API contracts for synsets: zod is the one source of their TypeScript types and of the OpenAPI document. */

export const synsetCountsSchema = z
  .object({
    images: z.number().int().describe("distinct images linked to this synset (any state)"),
    subtreeImages: z.number().int().describe("distinct images linked to this synset or any synset below it"),
    candidates: z.number().int().describe("links awaiting verification"),
    verified: z.number().int(),
    rejected: z.number().int(),
    subtreeVerified: z.number().int().describe("distinct images verified for this synset or any synset below it"),
  })
  .meta({ id: "SynsetCounts" });

export const lemmasSchema = z.array(z.string()).min(1).describe("synonyms, head word first");

export const synsetChildSchema = z
  .object({
    wnid: wnidSchema,
    lemmas: lemmasSchema,
    gloss: z.string(),
    kind: z.enum(["hypernym", "instance"]).describe("a kind of the parent, or an instance of it"),
    childCount: z.number().int(),
    subtreeSize: z.number().int().describe("synsets in its subtree, itself included"),
    counts: synsetCountsSchema,
  })
  .meta({ id: "SynsetChild" });

export const synsetDetailSchema = z
  .object({
    wnid: wnidSchema,
    lemmas: lemmasSchema,
    gloss: z.string(),
    lexFile: z.string().describe('WordNet lexicographer file, e.g. "noun.animal"'),
    depth: z.number().int().describe("shortest is-a distance to entity"),
    subtreeSize: z.number().int(),
    parents: z.array(wnidSchema),
    children: z.array(synsetChildSchema),
    paths: z.array(z.array(wnidSchema)).describe("every is-a path from entity down to this synset, shortest first"),
    related: z
      .record(z.string(), z.object({ lemmas: lemmasSchema }))
      .describe("lemmas of every wnid named in parents and paths"),
    counts: synsetCountsSchema,
  })
  .meta({ id: "SynsetDetail" });

export const synsetChildrenSchema = z
  .object({ wnid: wnidSchema, children: z.array(synsetChildSchema) })
  .meta({ id: "SynsetChildren" });

export const synsetSearchQuerySchema = z.object({
  // PostgreSQL text cannot hold NUL: refused here, not as a database error.
  q: z
    .string()
    .trim()
    .min(1, "q must not be empty")
    .max(200)
    .refine((q) => !q.includes("\0"), "q must not contain NUL"),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const synsetSearchResultSchema = z
  .object({
    items: z.array(
      z.object({
        wnid: wnidSchema,
        lemmas: lemmasSchema,
        gloss: z.string(),
        match: z.enum(MATCH_KINDS).describe("wnid, exact lemma, lemma prefix, or words of the gloss"),
      }),
    ),
  })
  .meta({ id: "SynsetSearchResult" });

export type SynsetCounts = z.infer<typeof synsetCountsSchema>;
export type SynsetChild = z.infer<typeof synsetChildSchema>;
export type SynsetDetail = z.infer<typeof synsetDetailSchema>;
export type SynsetChildren = z.infer<typeof synsetChildrenSchema>;
export type SynsetSearchQuery = z.infer<typeof synsetSearchQuerySchema>;
export type SynsetSearchResult = z.infer<typeof synsetSearchResultSchema>;

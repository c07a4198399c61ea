import { wnidSchema } from "@arbor/core";
import { z } from "zod";

export const linkStateSchema = z.enum(["candidate", "verified", "rejected"]);

export const imageSummarySchema = z
  .object({
    id: z.number().int(),
    width: z.number().int(),
    height: z.number().int(),
    thumbnailUrl: z.string(),
    thumbnailWidth: z.number().int(),
    thumbnailHeight: z.number().int(),
  })
  .meta({ id: "ImageSummary" });

export const synsetImagesQuerySchema = z.object({
  state: linkStateSchema.optional(),
  descendants: z
    .enum(["true", "false", "1", "0"])
    .optional()
    .transform((v) => v === "true" || v === "1")
    .meta({ description: "also images of every synset below it (default false)" }),
  cursor: z.coerce
    .number()
    .int()
    .positive()
    .max(2_147_483_647)
    .optional()
    .meta({ description: "nextCursor of the previous page" }),
  limit: z.coerce.number().int().min(1).max(200).default(60),
});

export const synsetImagesSchema = z
  .object({
    items: z.array(
      imageSummarySchema.extend({
        wnid: wnidSchema,
        state: linkStateSchema
          .nullable()
          .describe("null for a caller who is only an annotator: annotators see no link states"),
      }),
    ),
    nextCursor: z.number().int().nullable().describe("pass as ?cursor= for the next page; null at the end"),
  })
  .meta({ id: "SynsetImages" });

export const imageDetailSchema = z
  .object({
    id: z.number().int(),
    labelsWithheld: z
      .boolean()
      .describe(
        "true when this caller may not see the image's labels: it is restricted (in a split whose labels are " +
          "withheld; only admins and the restricting version's owner see them) or the caller is only an annotator. " +
          "Then synsets and (when restricted) sha256, phash, sources and nearDuplicates are left out",
      ),
    sha256: z.string().nullable().describe("null when the image is restricted for this caller"),
    phash: z.string().nullable().describe("64-bit perceptual hash, hex; null when restricted for this caller"),
    width: z.number().int(),
    height: z.number().int(),
    format: z.string(),
    bytes: z.number().int(),
    license: z.string().nullable(),
    attribution: z.string().nullable(),
    createdAt: z.string(),
    thumbnailUrl: z.string(),
    originalUrl: z.string(),
    sources: z.array(
      z.object({
        kind: z.string(),
        locator: z.string().nullable().describe("admins only (paths and URLs often name the class)"),
        createdAt: z.string(),
      }),
    ),
    synsets: z.array(
      z.object({
        wnid: wnidSchema,
        lemmas: z.array(z.string()),
        state: linkStateSchema,
        proposedBy: z
          .object({ modelId: z.number().int(), score: z.number() })
          .nullable()
          .describe("admins only: the model that proposed this candidate link, and its score"),
        modelVerified: z
          .object({ modelId: z.number().int(), prior: z.number() })
          .nullable()
          .describe("admins only: verified by auto-accept, without votes: the model and its calibrated prior"),
      }),
    ),
    nearDuplicates: z.array(z.object({ id: z.number().int(), distance: z.number().int(), thumbnailUrl: z.string() })),
  })
  .meta({ id: "ImageDetail" });

export type SynsetImagesQuery = z.infer<typeof synsetImagesQuerySchema>;
export type SynsetImages = z.infer<typeof synsetImagesSchema>;
export type ImageDetail = z.infer<typeof imageDetailSchema>;

export const thumbnailUrl = (id: number) => `/api/v1/images/${id}/thumbnail`;
export const originalUrl = (id: number) => `/api/v1/images/${id}/original`;

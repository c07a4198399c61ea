import { wnidSchema } from "@arbor/core";
import { z } from "zod";
import { idSchema } from "../request-params.ts";

/**
 * API contracts of model-driven pre-labelling: candidate runs (a model proposes candidate links), likely label
 * errors (confident learning over verified links) and sending a link back for votes. zod is the one source of
 * their types and of the OpenAPI document.
 */

/** The largest k a run may ask for: a model's predictions keep its top-k classes per image, rarely over 100. */
export const MAX_CANDIDATE_TOP_K = 100;

export const startCandidateRunSchema = z
  .object({
    modelId: idSchema("model"),
    wnid: wnidSchema.meta({ description: "the synset to propose candidates for", example: "n02084071" }),
    subtree: z
      .boolean()
      .default(false)
      .describe("also every synset below wnid that the model has predictions for, each getting its own candidates"),
    minScore: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe("propose an image whose score for the synset (or a descendant) is at least this"),
    topK: z
      .number()
      .int()
      .min(1)
      .max(MAX_CANDIDATE_TOP_K)
      .optional()
      .describe("propose an image that has the synset (or a descendant) among its k highest-scored predictions"),
  })
  .meta({ id: "StartCandidateRun" });
export type StartCandidateRunInput = z.input<typeof startCandidateRunSchema>;

export const candidateRunStatusSchema = z.enum(["queued", "running", "succeeded", "failed"]);

export const candidateRunSchema = z
  .object({
    id: z.number().int(),
    modelId: z.number().int(),
    modelName: z.string(),
    wnid: z.string(),
    lemma: z.string(),
    subtree: z.boolean(),
    minScore: z.number().nullable(),
    topK: z.number().int().nullable(),
    status: candidateRunStatusSchema,
    total: z.number().int().nullable().describe("synsets to go through (known once the run starts)"),
    processed: z.number().int().describe("synsets done"),
    proposed: z
      .number()
      .int()
      .describe("candidate links made (images already linked to a synset are left as they are)"),
    error: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: "CandidateRun" });
export type CandidateRunView = z.infer<typeof candidateRunSchema>;

export const candidateRunListSchema = z
  .object({ items: z.array(candidateRunSchema).describe("newest first, at most 50") })
  .meta({ id: "CandidateRunList" });

/** The most likely label errors one request lists. */
export const MAX_LABEL_ERRORS = 1000;

export const labelErrorsQuerySchema = z.object({
  wnid: wnidSchema
    .optional()
    .meta({ description: "only links verified for this class of the model (thresholds still use every class)" }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_LABEL_ERRORS)
    .default(100)
    .meta({ description: `rows, most likely errors first (default 100, at most ${MAX_LABEL_ERRORS})` }),
});
export type LabelErrorsQuery = z.input<typeof labelErrorsQuerySchema>;

export const likelyLabelErrorSchema = z
  .object({
    imageId: z.number().int(),
    thumbnailUrl: z.string(),
    wnid: z.string().describe("the class the image is verified for"),
    lemma: z.string(),
    givenProbability: z.number().describe("the model's out-of-sample probability of that class (below its threshold)"),
    suggestedWnid: z.string().describe("the class the model prefers (above its own threshold)"),
    suggestedLemma: z.string(),
    suggestedProbability: z.number(),
    margin: z.number().describe("how far the model prefers the suggestion: the ranking key, largest first"),
  })
  .meta({ id: "LikelyLabelError" });
export type LikelyLabelError = z.infer<typeof likelyLabelErrorSchema>;

export const likelyLabelErrorListSchema = z
  .object({ items: z.array(likelyLabelErrorSchema).describe("most likely errors first") })
  .meta({ id: "LikelyLabelErrorList" });

export const sendBackForVotesSchema = z
  .object({
    imageId: idSchema("image"),
    wnid: wnidSchema.meta({ description: "the synset the image is verified for" }),
  })
  .meta({ id: "SendBackForVotes" });
export type SendBackForVotesInput = z.input<typeof sendBackForVotesSchema>;

export const sentBackForVotesSchema = z
  .object({
    imageId: z.number().int(),
    wnid: z.string(),
    state: z.literal("candidate"),
    campaignId: z
      .number()
      .int()
      .nullable()
      .describe("the active campaign it waits in; null: the synset has none, and the next one started takes it"),
  })
  .meta({ id: "SentBackForVotes" });
export type SentBackForVotes = z.infer<typeof sentBackForVotesSchema>;

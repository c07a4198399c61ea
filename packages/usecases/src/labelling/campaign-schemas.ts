import { wnidSchema } from "@arbor/core";
import { z } from "zod";
import { MAX_INT4 } from "../request-params.ts";
import { campaignPolicySchema } from "./campaign-policy.ts";
import { annotatorPoolSchema } from "./pool-schemas.ts";

/** API contracts of labelling campaigns: zod is the one source of their types and of the OpenAPI document. */

export const campaignStatusSchema = z.enum(["active", "paused", "done"]);

export const createCampaignSchema = z
  .object({
    wnid: wnidSchema,
    policy: campaignPolicySchema.optional(),
    subtree: z.boolean().optional().describe("one campaign per synset below wnid that has candidate images"),
  })
  .meta({ id: "CreateCampaign" });
export type CreateCampaignInput = z.input<typeof createCampaignSchema>;

export const campaignsCreatedSchema = z
  .object({ ids: z.array(z.number().int()).min(1).describe("one campaign per synset labelled") })
  .meta({ id: "CampaignsCreated" });

export const campaignSummarySchema = z
  .object({
    id: z.number().int(),
    wnid: wnidSchema,
    lemma: z.string(),
    status: campaignStatusSchema,
    items: z.number().int().describe("images in the campaign"),
  })
  .meta({ id: "CampaignSummary" });
export type CampaignSummary = z.infer<typeof campaignSummarySchema>;

export const campaignListSchema = z
  .object({ items: z.array(campaignSummarySchema).describe("newest first, at most 100") })
  .meta({ id: "CampaignList" });

/** The annotator pool as this campaign's policy sees it (see poolPlan in @arbor/core). */
export const campaignPoolSchema = z
  .object({
    ...annotatorPoolSchema.shape,
    needs: z
      .object({ seed: z.number().int(), rest: z.number().int() })
      .describe("distinct annotators the policy asks for: seedVotes per seed image, up to maxVotes per other image"),
    seedVotes: z
      .number()
      .int()
      .describe("votes per seed image the seed is collected with: seedVotes, lowered to the pool but at least 3"),
    maxVotes: z.number().int().describe("most votes an image can get: maxVotes, or the pool's size when smaller"),
    notes: z.array(z.string()).describe("what the pool means for this policy, e.g. a lowered seed"),
  })
  .meta({ id: "CampaignPool" });
export type CampaignPool = z.infer<typeof campaignPoolSchema>;

/**
 * Where a campaign stands, in one word and a sentence: `blocked` when it cannot go on with the annotators it
 * has (with the fix), `seeding` while the seed set collects its votes, `labelling` after, `paused`, `done`.
 */
export const campaignStateSchema = z
  .object({
    code: z.enum(["seeding", "labelling", "blocked", "paused", "done"]),
    message: z.string(),
    fix: z.string().nullable().describe("what an admin can do when blocked"),
  })
  .meta({ id: "CampaignState" });
export type CampaignState = z.infer<typeof campaignStateSchema>;

export const campaignStatsSchema = z
  .object({
    id: z.number().int(),
    synset: z.object({ wnid: z.string(), lemmas: z.array(z.string()) }),
    status: campaignStatusSchema,
    policy: z.record(z.string(), z.unknown()),
    items: z.object({
      total: z.number().int(),
      pending: z.number().int(),
      verified: z.number().int(),
      rejected: z.number().int(),
      ambiguous: z.number().int(),
    }),
    seed: z.object({
      size: z.number().int(),
      complete: z.boolean(),
      collected: z.number().int().describe("seed images that have their pool.seedVotes votes"),
    }),
    state: campaignStateSchema,
    pool: campaignPoolSchema,
    votes: z.number().int(),
    goldVotes: z.number().int(),
    throughput: z.array(z.object({ hour: z.string(), votes: z.number().int() })).describe("votes per hour"),
    confidenceTable: z.unknown().nullable(),
  })
  .meta({ id: "CampaignStats" });
export type CampaignStats = z.infer<typeof campaignStatsSchema>;

/** An admin's decision on an image of a campaign (usually an ambiguous one from the review queue). */
export const reviewDecisionSchema = z
  .object({ imageId: z.number().int().positive().max(MAX_INT4), decision: z.enum(["verified", "rejected"]) })
  .meta({ id: "ReviewDecision" });
export type ReviewDecisionInput = z.input<typeof reviewDecisionSchema>;

export const reviewRecordedSchema = z
  .object({ ok: z.literal(true).describe("the decision is final and the image's link moved") })
  .meta({ id: "ReviewRecorded" });

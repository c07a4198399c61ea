import { wnidSchema } from "@arbor/core";
import { z } from "zod";
import { idSchema, MAX_INT4 } from "../request-params.ts";
import { campaignPolicySchema } from "./campaign-policy.ts";
import { annotatorPoolSchema } from "./pool-schemas.ts";

/** API contracts of labelling campaigns: zod is the one source of their types and of the OpenAPI document. */

export const campaignStatusSchema = z.enum(["active", "paused", "done"]);

export const campaignOrderingSchema = z
  .enum(["random", "uncertain", "likely_positive"])
  .describe(
    "the order undecided images are handed out in once the calibration set calibrated the model: random; uncertain " +
      "(calibrated prior nearest 0.5 first: with two classes least confidence, margin and entropy give the " +
      "same order); likely_positive (highest prior first, to grow a class fast). Images without a score come " +
      "after those with one, in random order",
  )
  .meta({ id: "CampaignOrdering" });
export type CampaignOrdering = z.infer<typeof campaignOrderingSchema>;

/**
 * The model a campaign takes priors from. Its out-of-sample scores are calibrated on a random calibration set
 * (the seed and more random images, policy.calibrationSize, decided on votes alone as without a model); every
 * image outside it then starts from its calibrated prior instead of the synset's base rate.
 */
export const campaignModelOptionsSchema = z
  .object({
    modelId: idSchema("model").describe(
      "a registered model with a class at the synset or below it (with subtree: campaigns of synsets it has " +
        "no class for run without it)",
    ),
    ordering: campaignOrderingSchema.default("random"),
    autoAccept: z
      .boolean()
      .default(false)
      .describe(
        "verify without votes the images outside the calibration set whose prior clears a threshold chosen on " +
          "the calibration set's human decisions (at least 200 of them, so that the 95 % lower bound of " +
          "precision above it meets the target); an " +
          "audit share still goes to annotators and switches it off when its precision falls below the target",
      ),
    // An audit of nothing could never switch auto-accept off; more than half is hardly auto-accepting.
    auditFraction: z
      .number()
      .min(0.01)
      .max(0.5)
      .default(0.05)
      .describe("share of the images auto-accept would take that go to annotators instead, as its audit"),
    showModelGuess: z
      .boolean()
      .default(false)
      .describe(
        "show annotators the model's calibrated guess (a random 10 % of tasks go without, to measure " +
          "anchoring); calibration-set (seed included), audit and gold images never show one",
      ),
  })
  .meta({ id: "CampaignModelOptions" });

export const createCampaignSchema = z
  .object({
    wnid: wnidSchema,
    policy: campaignPolicySchema.optional(),
    subtree: z.boolean().optional().describe("one campaign per synset below wnid that has candidate images"),
    model: campaignModelOptionsSchema.optional().describe("a model whose predictions give each image a prior"),
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

const yesRateSchema = z.object({
  answers: z
    .number()
    .int()
    .describe("annotators' answers on images with a prior (calibration set, audit and gold left out)"),
  yesRate: z.number().nullable().describe("share of them that were yes; null without answers"),
});

/** What a campaign's model does: its calibration, auto-accept with its audit, votes saved, anchoring. */
export const campaignModelSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    ordering: campaignOrderingSchema,
    calibration: z
      .object({
        kind: z.enum(["isotonic", "platt"]).describe("isotonic from 100 points on, Platt below"),
        curve: z
          .array(
            z.object({
              lo: z.number(),
              hi: z.number(),
              count: z.number().int(),
              meanPredicted: z.number(),
              observed: z.number(),
            }),
          )
          .describe("reliability: the fit's points binned by calibrated prior, mean prior against share verified"),
        seedPoints: z
          .number()
          .int()
          .describe(
            "calibration-set images (the seed among them) decided by people that have a score: the fit's points",
          ),
        priorsInConsensus: z
          .boolean()
          .describe("false once a failed audit showed the calibration does not hold: votes decide alone again"),
      })
      .nullable()
      .describe(
        "null until every image of the calibration set is decided (or ambiguous), or when its decided images " +
          "with a score are all of one class",
      ),
    calibrationSet: z
      .object({
        size: z.number().int().describe("images in it: the seed plus more random ones"),
        decided: z.number().int().describe("of them verified or rejected"),
        ambiguous: z.number().int().describe("of them ambiguous (left out of the fit)"),
        pending: z.number().int().describe("of them still waiting for votes: the model is calibrated at 0"),
        votes: z.number().int().describe("votes its images got, seed included"),
      })
      .describe(
        "the random images the model is calibrated on (policy.calibrationSize, at most half the campaign's " +
          "images, never fewer than the seed): decided on votes alone, as without a model, so they cost what " +
          "they would without it; priors, ordering and auto-accept apply to the other images only",
      ),
    autoAccept: z.object({
      on: z.boolean(),
      threshold: z.number().nullable().describe("prior at and above which images are verified without votes"),
      auditFraction: z.number(),
      audited: z.number().int().describe("audit images people have verified or rejected"),
      auditPending: z.number().int().describe("audit images still waiting for votes"),
      auditPrecision: z.number().nullable().describe("share of the audited images people verified"),
      offReason: z.string().nullable().describe("why auto-accept is off (no threshold, or a failed audit)"),
      autoAccepted: z.number().int().describe("images verified by the model without votes"),
    }),
    votesSaved: z
      .object({
        items: z
          .number()
          .int()
          .describe(
            "images outside the seed decided so far (by people or auto-accept), the calibration set's included",
          ),
        votesUsed: z.number().int().describe("votes those images got"),
        votesWithoutModel: z
          .number()
          .int()
          .describe(
            "an estimate, a lower bound, of the votes the same images would have needed with the synset's " +
              "base rate instead of their prior: each image's own votes replayed in the order they came " +
              "through the same confidence table, decision rule and target without the prior, and, where they " +
              "ran out first, the fewest further votes that could decide it (all agreeing); an auto-accepted " +
              "image counts the fewest votes that could decide it from none. The calibration set's images " +
              "beyond the seed count their own votes on both sides: they were decided on votes alone, so they " +
              "cost the same as without the model (counting them keeps the share saved honest: the model " +
              "saves nothing on them). Seed votes are left out: a campaign without a model spends them too. " +
              "Replayed on 5,000 images outside the calibration set at most (a fixed sample, scaled up) and " +
              "with the table rule even for Dawid–Skene campaigns",
          ),
        saved: z.number().int().describe("votesWithoutModel − votesUsed (negative: the prior cost votes)"),
      })
      .nullable()
      .describe("null until the confidence table exists"),
    anchoring: z
      .object({ withGuess: yesRateSchema, withoutGuess: yesRateSchema })
      .nullable()
      .describe(
        "with showModelGuess: yes rates of answers in tasks that showed the guess and in the random 10 % that " +
          "did not, on the same kind of images; a gap is the guess's anchoring effect. Null otherwise",
      ),
  })
  .meta({ id: "CampaignModel" });
export type CampaignModel = z.infer<typeof campaignModelSchema>;

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
    model: campaignModelSchema.nullable().describe("the model giving priors; null: the synset's base rate for all"),
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

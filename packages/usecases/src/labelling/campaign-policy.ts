import {
  DEFAULT_MIN_VOTES_WITH_PRIOR,
  DEFAULT_POLICY,
  MAX_VOTES_LIMIT,
  POLICY_BOUNDS,
  validatePolicy,
} from "@arbor/core";
import { z } from "zod";

/**
 * Bounds of the two policy fields only campaigns with a model use (core's POLICY_BOUNDS holds the consensus
 * ones). minVotesWithPrior is also at most minVotes, a rule between two fields checked below as core's
 * decideWithPrior checks it. The calibration set contains the seed, so it is bounded like the seed.
 */
export const MODEL_POLICY_BOUNDS = Object.freeze({
  minVotesWithPrior: Object.freeze({ min: 1, max: MAX_VOTES_LIMIT }),
  calibrationSize: Object.freeze({ min: 1, max: POLICY_BOUNDS.seedSize.max }),
});

/**
 * Default calibration set: 1000 random items. A 0.99 lower bound of precision needs at least 381 verified
 * human-decided items above the auto-accept threshold (n / (n + 1.96²) ≥ 0.99), and auto-accept needs 200
 * decisions at all: 1000 random items give a synset with a 0.9 positive rate ~900 verified ones. The
 * simulation (npm run sim:prelabels, "seed 30 + calib 1000") meets the issue's ≥ 30 % fewer votes at ≥ 99 %
 * precision with it.
 */
export const DEFAULT_CALIBRATION_SIZE = 1000;

/** An integer field of the consensus policy, within its bounds from core (defined there once). */
const bounded = (field: "minVotes" | "maxVotes" | "seedSize" | "seedVotes") =>
  z.number().int().min(POLICY_BOUNDS[field].min).max(POLICY_BOUNDS[field].max).default(DEFAULT_POLICY[field]);

/**
 * A campaign's policy: the consensus parameters (core's ConsensusPolicy, with core's POLICY_BOUNDS and the
 * rule between fields that validatePolicy checks) plus how tasks are made.
 */
export const campaignPolicySchema = z
  .object({
    target: z
      .number()
      .gt(POLICY_BOUNDS.target.exclusiveMin)
      .lt(POLICY_BOUNDS.target.exclusiveMax)
      .default(DEFAULT_POLICY.target),
    minVotes: bounded("minVotes").describe("at most maxVotes"),
    maxVotes: bounded("maxVotes"),
    seedSize: bounded("seedSize"),
    seedVotes: bounded("seedVotes"),
    /** Share of each task that is gold questions (known answers), to measure annotators. */
    goldRate: z.number().min(0).max(0.5).default(0.1),
    /** Images per task (one screen). */
    taskSize: z.number().int().min(1).max(48).default(12),
    /**
     * How votes become P(positive): ImageNet's per-synset confidence table ("adaptive"), or Dawid–Skene EM
     * over all of the campaign's votes with gold answers as fixed labels ("dawid-skene").
     */
    estimator: z.enum(["adaptive", "dawid-skene"]).default("adaptive"),
    /** Seconds an annotator holds a task before it returns to the pool. */
    leaseSeconds: z.number().int().min(30).max(86_400).default(600),
    minVotesWithPrior: z
      .number()
      .int()
      .min(MODEL_POLICY_BOUNDS.minVotesWithPrior.min)
      .max(MODEL_POLICY_BOUNDS.minVotesWithPrior.max)
      .default(DEFAULT_MIN_VOTES_WITH_PRIOR)
      .describe(
        "with a model: from this many votes on (at most minVotes) an image whose calibrated prior is sure may " +
          "be decided before minVotes, when every vote agrees with the prior and the posterior clears the " +
          "target (core's decideWithPrior); equal to minVotes, the prior never shortens the floor",
      ),
    calibrationSize: z
      .number()
      .int()
      .min(MODEL_POLICY_BOUNDS.calibrationSize.min)
      .max(MODEL_POLICY_BOUNDS.calibrationSize.max)
      .default(DEFAULT_CALIBRATION_SIZE)
      .describe(
        "with a model: the random items (the seed among them) decided on votes alone, as without a model, " +
          "before the model is calibrated on their decisions and auto-accept's threshold chosen on them; at " +
          "most half the campaign's items and never fewer than the seed",
      ),
  })
  .superRefine((policy, ctx) => {
    try {
      validatePolicy(policy);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
      return;
    }
    if (policy.minVotesWithPrior > policy.minVotes) {
      ctx.addIssue({
        code: "custom",
        path: ["minVotesWithPrior"],
        message:
          `minVotesWithPrior (${policy.minVotesWithPrior}) must be at most minVotes (${policy.minVotes}): it is ` +
          "the fewest votes a sure prior may decide on instead of minVotes, never more",
      });
    }
  })
  .meta({ id: "CampaignPolicy" });

export type CampaignPolicy = z.infer<typeof campaignPolicySchema>;

import { DEFAULT_POLICY, POLICY_BOUNDS, validatePolicy } from "@arbor/core";
import { z } from "zod";

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
  })
  .superRefine((policy, ctx) => {
    try {
      validatePolicy(policy);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
    }
  })
  .meta({ id: "CampaignPolicy" });

export type CampaignPolicy = z.infer<typeof campaignPolicySchema>;

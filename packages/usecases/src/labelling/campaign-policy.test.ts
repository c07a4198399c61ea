import { DEFAULT_MIN_VOTES_WITH_PRIOR, DEFAULT_POLICY, POLICY_BOUNDS } from "@arbor/core";
import { describe, expect, it } from "vitest";
import { campaignPolicySchema, DEFAULT_CALIBRATION_SIZE, MODEL_POLICY_BOUNDS } from "./campaign-policy.ts";

describe("campaignPolicySchema", () => {
  it("fills in core's default policy, and the model fields' defaults", () => {
    expect(campaignPolicySchema.parse({})).toMatchObject({
      ...DEFAULT_POLICY,
      minVotesWithPrior: DEFAULT_MIN_VOTES_WITH_PRIOR,
      calibrationSize: DEFAULT_CALIBRATION_SIZE,
    });
    expect(DEFAULT_CALIBRATION_SIZE).toBe(1000);
  });

  it("bounds minVotesWithPrior and calibrationSize by MODEL_POLICY_BOUNDS", () => {
    // maxVotes and minVotes at their highest, so that only the field's own bound can refuse.
    const base = { maxVotes: POLICY_BOUNDS.maxVotes.max, minVotes: POLICY_BOUNDS.minVotes.max };
    for (const field of ["minVotesWithPrior", "calibrationSize"] as const) {
      const { min, max } = MODEL_POLICY_BOUNDS[field];
      const parse = (value: number) => campaignPolicySchema.safeParse({ ...base, [field]: value });
      expect(parse(min).success, `${field} = ${min}`).toBe(true);
      expect(parse(max).success, `${field} = ${max}`).toBe(true);
      for (const outside of [min - 1, max + 1, min + 0.5]) {
        const result = parse(outside);
        expect(result.success, `${field} = ${outside}`).toBe(false);
        expect(result.error?.issues.map((issue) => issue.path.join("."))).toContain(field);
      }
    }
    expect(MODEL_POLICY_BOUNDS.minVotesWithPrior.max).toBe(POLICY_BOUNDS.minVotes.max);
  });

  it("refuses minVotesWithPrior above minVotes, naming both", () => {
    const result = campaignPolicySchema.safeParse({ minVotes: 2, minVotesWithPrior: 3 });
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ["minVotesWithPrior"],
        message: expect.stringMatching(/^minVotesWithPrior \(3\) must be at most minVotes \(2\)/),
      }),
    ]);
    expect(campaignPolicySchema.safeParse({ minVotes: 2, minVotesWithPrior: 2 }).success).toBe(true);
    // The default (1) fits every minVotes, the least of which is 1.
    expect(campaignPolicySchema.safeParse({ minVotes: POLICY_BOUNDS.minVotes.min }).success).toBe(true);
  });

  it("takes its consensus bounds from core's POLICY_BOUNDS", () => {
    const base = { maxVotes: POLICY_BOUNDS.maxVotes.max };
    for (const field of ["minVotes", "maxVotes", "seedSize", "seedVotes"] as const) {
      const { min, max } = POLICY_BOUNDS[field];
      const parse = (value: number) =>
        campaignPolicySchema.safeParse({ ...base, ...(field === "maxVotes" ? { minVotes: 1 } : {}), [field]: value });
      expect(parse(min).success, `${field} = ${min}`).toBe(true);
      expect(parse(max).success, `${field} = ${max}`).toBe(true);
      for (const outside of [min - 1, max + 1]) {
        const result = parse(outside);
        expect(result.success, `${field} = ${outside}`).toBe(false);
        expect(result.error?.issues.map((issue) => issue.path.join("."))).toContain(field);
      }
    }
    const { exclusiveMin, exclusiveMax } = POLICY_BOUNDS.target;
    expect(campaignPolicySchema.safeParse({ target: exclusiveMin }).success).toBe(false);
    expect(campaignPolicySchema.safeParse({ target: exclusiveMax }).success).toBe(false);
    expect(campaignPolicySchema.safeParse({ target: (exclusiveMin + exclusiveMax) / 2 }).success).toBe(true);
  });

  it("refuses minVotes above maxVotes (core's rule between the two)", () => {
    const result = campaignPolicySchema.safeParse({ minVotes: 5, maxVotes: 4 });
    expect(result.error?.issues[0]?.message).toMatch(/minVotes must be an integer in \[1, 4\]/);
  });
});

import { DEFAULT_POLICY, POLICY_BOUNDS } from "@arbor/core";
import { describe, expect, it } from "vitest";
import { campaignPolicySchema } from "./campaign-policy.ts";

describe("campaignPolicySchema", () => {
  it("fills in core's default policy", () => {
    expect(campaignPolicySchema.parse({})).toMatchObject(DEFAULT_POLICY);
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

import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY, MAX_VOTES_LIMIT, POLICY_BOUNDS, validatePolicy } from "./types.ts";

describe("validatePolicy", () => {
  it("accepts the default (ImageNet's) policy and returns it", () => {
    expect(validatePolicy({ ...DEFAULT_POLICY })).toEqual({
      target: 0.99,
      minVotes: 2,
      maxVotes: 10,
      seedSize: 30,
      seedVotes: 10,
    });
  });

  it("names the offending field", () => {
    const bad = (change: Partial<typeof DEFAULT_POLICY>) => () => validatePolicy({ ...DEFAULT_POLICY, ...change });
    expect(bad({ target: 0.5 })).toThrow(/target must be in \(0\.5, 1\), got 0\.5/);
    expect(bad({ target: 1 })).toThrow(/target/);
    expect(bad({ target: Number.NaN })).toThrow(/target/);
    expect(bad({ minVotes: 0 })).toThrow(/minVotes must be an integer in \[1, 10\], got 0/);
    expect(bad({ minVotes: 11 })).toThrow(/minVotes/);
    expect(bad({ minVotes: 1.5 })).toThrow(/minVotes/);
    expect(bad({ maxVotes: 51 })).toThrow(/maxVotes must be an integer in \[1, 50\]/);
    expect(bad({ seedSize: 0 })).toThrow(/seedSize/);
    expect(bad({ seedVotes: 2 })).toThrow(/seedVotes must be an integer in \[3, 50\], got 2/);
  });

  it("allows minVotes = maxVotes (a fixed number of votes)", () => {
    expect(() => validatePolicy({ ...DEFAULT_POLICY, minVotes: 5, maxVotes: 5 })).not.toThrow();
  });

  it("enforces exactly POLICY_BOUNDS: each integer bound is accepted and one past it refused", () => {
    // maxVotes at its top so that minVotes can reach its own.
    const base = { ...DEFAULT_POLICY, maxVotes: POLICY_BOUNDS.maxVotes.max };
    for (const field of ["minVotes", "maxVotes", "seedSize", "seedVotes"] as const) {
      const { min, max } = POLICY_BOUNDS[field];
      const withValue = (value: number) => () =>
        validatePolicy({
          ...base,
          minVotes: field === "maxVotes" ? Math.min(value, 1) : base.minVotes,
          [field]: value,
        });
      expect(withValue(min), `${field} = ${min}`).not.toThrow();
      expect(withValue(max), `${field} = ${max}`).not.toThrow();
      expect(withValue(min - 1), `${field} = ${min - 1}`).toThrow(new RegExp(`${field} must be an integer in`));
      expect(withValue(max + 1), `${field} = ${max + 1}`).toThrow(new RegExp(`${field} must be an integer in`));
    }
  });

  it("keeps target inside its open interval", () => {
    const { exclusiveMin, exclusiveMax } = POLICY_BOUNDS.target;
    const withTarget = (target: number) => () => validatePolicy({ ...DEFAULT_POLICY, target });
    expect(withTarget(exclusiveMin)).toThrow(/target/);
    expect(withTarget(exclusiveMax)).toThrow(/target/);
    expect(withTarget(exclusiveMin + 1e-9)).not.toThrow();
    expect(withTarget(exclusiveMax - 1e-9)).not.toThrow();
  });

  it("bounds votes per image by MAX_VOTES_LIMIT and the default policy lies inside the bounds", () => {
    expect(POLICY_BOUNDS.maxVotes.max).toBe(MAX_VOTES_LIMIT);
    expect(POLICY_BOUNDS.seedVotes.max).toBe(MAX_VOTES_LIMIT);
    for (const field of ["minVotes", "maxVotes", "seedSize", "seedVotes"] as const) {
      expect(DEFAULT_POLICY[field]).toBeGreaterThanOrEqual(POLICY_BOUNDS[field].min);
      expect(DEFAULT_POLICY[field]).toBeLessThanOrEqual(POLICY_BOUNDS[field].max);
    }
  });
});

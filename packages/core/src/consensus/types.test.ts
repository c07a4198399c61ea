import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY, validatePolicy } from "./types.ts";

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
});

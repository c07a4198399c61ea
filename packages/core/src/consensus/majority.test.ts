import { describe, expect, it } from "vitest";
import { majorityDecision } from "./majority.ts";
import type { Vote } from "./types.ts";

const votes = (pattern: string): Vote[] => [...pattern].map((c, i) => ({ annotatorId: `a${i}`, positive: c === "Y" }));

describe("majorityDecision", () => {
  it("waits for n votes", () => {
    expect(majorityDecision(votes("YYYY"), 5)).toBe("pending");
    expect(majorityDecision([], 1)).toBe("pending");
  });

  it("takes the majority of the first n votes", () => {
    expect(majorityDecision(votes("YYNYN"), 5)).toBe("verified");
    expect(majorityDecision(votes("NNYYN"), 5)).toBe("rejected");
    expect(majorityDecision(votes("YYYNNNNNNN"), 3)).toBe("verified");
  });

  it("calls a tie ambiguous", () => {
    expect(majorityDecision(votes("YNYN"), 4)).toBe("ambiguous");
  });

  it("counts one vote per annotator", () => {
    const repeat: Vote[] = [
      { annotatorId: "a", positive: true },
      { annotatorId: "a", positive: true },
      { annotatorId: "b", positive: false },
    ];
    expect(majorityDecision(repeat, 3)).toBe("pending");
    expect(majorityDecision([...repeat, { annotatorId: "c", positive: false }], 3)).toBe("rejected");
  });

  it("rejects a nonsensical n", () => {
    expect(() => majorityDecision([], 0)).toThrow(/positive integer/);
    expect(() => majorityDecision([], 2.5)).toThrow();
  });
});

import { describe, expect, it } from "vitest";
import { phaseText } from "./freeze-progress";

describe("a freeze run's phase text", () => {
  it("says what a running run does, and that a finished one is done or where it stopped", () => {
    expect(phaseText({ status: "queued", phase: null })).toBe("waiting for a worker");
    expect(phaseText({ status: "running", phase: "near-duplicates" })).toBe("grouping near-duplicates");
    // A succeeded run keeps its last phase ("writing") in the API; it is not storing anything any more.
    expect(phaseText({ status: "succeeded", phase: "writing" })).toBe("done");
    expect(phaseText({ status: "failed", phase: "assigning" })).toBe("stopped while assigning splits");
  });
});

import { describe, expect, it } from "vitest";
import { blobKeyProblem, blobPrefixProblem } from "./blob-key.ts";

describe("blob key rules", () => {
  it.each(["a", "originals/ab/cd/file.jpg", "exports/run=2024-01-01/part_0001.tar", "a..b"])("accepts %s", (key) => {
    expect(blobKeyProblem(key)).toBeUndefined();
  });

  it.each([
    ["", /empty/],
    ["/abs", /no leading/],
    ["a//b", /empty segments/],
    ["a/../b", /"\.\."/],
    ["a\\b", /backslash/],
    ["a\0b", /NUL/],
    [".hidden", /must start with a letter or digit/],
    ["x".repeat(1025), /at most 1024/],
  ])("refuses %j", (key, problem) => {
    expect(blobKeyProblem(key)).toMatch(problem);
  });

  it("takes a prefix with a trailing slash or a partial last segment, and nothing that is not a key", () => {
    expect(blobPrefixProblem("")).toBeUndefined();
    expect(blobPrefixProblem("exports/")).toBeUndefined();
    expect(blobPrefixProblem("exports/ru")).toBeUndefined();
    expect(blobPrefixProblem("exports//")).toMatch(/empty segments/);
    expect(blobPrefixProblem(7)).toBe("must be a string");
  });
});

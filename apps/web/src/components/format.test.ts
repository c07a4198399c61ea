import { describe, expect, it } from "vitest";
import { formatCount, plural } from "./format";

describe("formatCount", () => {
  it("groups thousands with commas, whatever the machine's locale", () => {
    expect(formatCount(0)).toBe("0");
    expect(formatCount(999)).toBe("999");
    expect(formatCount(1000)).toBe("1,000");
    expect(formatCount(1234567)).toBe("1,234,567");
  });
});

describe("plural", () => {
  it("uses the singular for exactly one and the plural otherwise, zero included", () => {
    expect(plural(1, "image")).toBe("1 image");
    expect(plural(0, "image")).toBe("0 images");
    expect(plural(2, "image")).toBe("2 images");
  });

  it("takes an irregular plural and formats the count", () => {
    expect(plural(1, "class", "classes")).toBe("1 class");
    expect(plural(1200, "class", "classes")).toBe("1,200 classes");
  });
});

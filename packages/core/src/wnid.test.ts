import { describe, expect, it } from "vitest";
import { isWnid, offsetFromWnid, wnidFromOffset } from "./wnid.ts";

describe("wnid", () => {
  it("round-trips offsets", () => {
    expect(wnidFromOffset(2084071)).toBe("n02084071");
    expect(offsetFromWnid("n00001740")).toBe(1740);
  });
  it("accepts only n + 8 digits", () => {
    expect(isWnid("n02084071")).toBe(true);
    for (const bad of ["n2084071", "v02084071", "n020840711", "dog", "n0208407a"]) expect(isWnid(bad)).toBe(false);
  });
});

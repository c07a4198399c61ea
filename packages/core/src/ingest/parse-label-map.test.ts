import { describe, expect, it } from "vitest";
import { LabelMapError, parseLabelMap } from "./parse-label-map.ts";

describe("parseLabelMap", () => {
  it("reads tab, comma or space separated lines and ignores comments", () => {
    const map = parseLabelMap("# CIFAR-10\nairplane\tn02691156\nautomobile, n02958343\n\nbird n01503061  # birds\n");
    expect([...map]).toEqual([
      ["airplane", "n02691156"],
      ["automobile", "n02958343"],
      ["bird", "n01503061"],
    ]);
  });

  it("keeps names with spaces", () => {
    expect(parseLabelMap("sea lion\tn02077923").get("sea lion")).toBe("n02077923");
  });

  it("reports every bad line with its number", () => {
    expect(() => parseLabelMap("cat\tn0212\ndog\nfrog n01639765\nfrog n01639765")).toThrow(LabelMapError);
    try {
      parseLabelMap("cat\tn0212\ndog\nfrog n01639765\nfrog n01639765");
    } catch (error) {
      expect((error as Error).message).toMatch(/line 1: "n0212" is not a wnid/);
      expect((error as Error).message).toMatch(/line 2: expected/);
      expect((error as Error).message).toMatch(/line 4: "frog" is mapped twice/);
    }
    expect(() => parseLabelMap("# nothing\n")).toThrow(/empty/);
  });
});

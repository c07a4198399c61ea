import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseClassList } from "./classes.ts";
import { ChallengeFileError } from "./errors.ts";
import { TOY_CLASS_LIST, W } from "./toy-challenge.ts";

describe("parseClassList", () => {
  it("reads `wnid index name` lines in index order, whatever the line order", () => {
    const classes = parseClassList(`${W.c1} 2 one\n\n${W.c3} 1 three  \r\n`);
    expect(classes.wnids).toEqual([W.c3, W.c1]);
    expect(classes.names).toEqual(["three", "one"]);
    expect(classes.positionOf(W.c1)).toBe(1);
    expect(classes.positionOf(W.c5)).toBe(-1);
    expect(classes.published).toBe(true);
  });

  it("maps each position to its sorted-wnid reading", () => {
    const classes = parseClassList(TOY_CLASS_LIST); // c3 c1 c5 c2 c4; sorted: c1 c2 c3 c4 c5
    expect(Array.from(classes.sortedOrder())).toEqual([1, 3, 0, 4, 2]);
    expect(classes.isSorted()).toBe(false);
    expect(parseClassList(`${W.c1} 1\n${W.c2} 2`).isSorted()).toBe(true);
  });

  it("reports each bad line with what was expected and found", () => {
    const text = `${W.c1} 1 one\nn123 2 bad\n${W.c2} x two\n${W.c3}\n`;
    expect(() => parseClassList(text)).toThrow(ChallengeFileError);
    try {
      parseClassList(text);
    } catch (error) {
      const e = error as ChallengeFileError;
      expect(e.problems.map((p) => p.line)).toEqual([2, 3, 4]);
      expect(e.message).toContain('line 2: expected a wnid ("n" + 8 digits) first, found "n123"');
      expect(e.message).toContain('line 3: expected a class index 1, 2, … second, found "x"');
      expect(e.message).toContain(`line 4: expected "wnid index name", found "${W.c3}"`);
    }
  });

  it("refuses indices that are not exactly 1..K and wnids listed twice", () => {
    expect(() => parseClassList(`${W.c1} 1\n${W.c2} 3`)).toThrow(/line 2: expected indices 1..2 .*found index 3/);
    expect(() => parseClassList(`${W.c1} 1\n${W.c2} 1`)).toThrow(
      /line 2: expected each index once, found index 1 again/,
    );
    expect(() => parseClassList(`${W.c1} 1\n${W.c1} 2`)).toThrow(
      /line 2: expected each wnid once, found n00000011 again \(first on line 1\)/,
    );
    expect(() => parseClassList("\n\n")).toThrow(/expected at least one class, found no class/);
  });

  it("reads the ILSVRC-2012 devkit's map_clsloc.txt", (context) => {
    const file = new URL("../../../../../shared/data/imagenet-meta/map_clsloc.txt", import.meta.url);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      return context.skip("../shared/data/imagenet-meta/map_clsloc.txt is absent");
    }
    const classes = parseClassList(text);
    expect(classes.size).toBe(1000);
    expect(classes.wnids[0]).toBe("n02119789"); // ILSVRC2012_ID 1 = kit fox, not n01440764 (sorted first)
    expect(classes.names[0]).toBe("kit_fox");
    expect(classes.isSorted()).toBe(false);
  });
});

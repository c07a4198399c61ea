import { describe, expect, it } from "vitest";
import { parseClassList } from "./classes.ts";
import { ChallengeFileError } from "./errors.ts";
import { detectTruthFormat, parseCsvTruth, parseDevkitTruth, parseTruth } from "./ground-truth.ts";
import { TOY_CLASS_LIST, W } from "./toy-challenge.ts";

const classes = parseClassList(TOY_CLASS_LIST); // c3 c1 c5 c2 c4

describe("parseDevkitTruth", () => {
  it("reads one class index per line; image ids are the line numbers", () => {
    const truth = parseDevkitTruth("2\r\n1\n5\n\n", classes);
    expect(Array.from(truth.labels)).toEqual([1, 0, 4]);
    expect(truth.imageIds).toEqual(["1", "2", "3"]);
    expect(truth.positional).toBe(true);
    expect(truth.positionOfImage("3")).toBe(2);
    expect(truth.positionOfImage("4")).toBe(-1);
    expect(truth.positionOfImage("03")).toBe(-1);
    expect(truth.positionOfImage("0")).toBe(-1);
  });

  it("refuses out-of-range indices, several per line and empty lines in the middle, with line numbers", () => {
    try {
      parseDevkitTruth("1\n6\n0\n\n2 3\nx\n1\n", classes);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ChallengeFileError);
      const e = error as ChallengeFileError;
      expect(e.problems).toEqual([
        { line: 2, expected: "a class index 1..5", found: '"6"' },
        { line: 3, expected: "a class index 1..5", found: '"0"' },
        { line: 4, expected: "one class index 1..5", found: "an empty line" },
        { line: 5, expected: "one class index 1..5", found: '"2 3"' },
        { line: 6, expected: "one class index 1..5", found: '"x"' },
      ]);
      expect(e.message.split("\n")[0]).toBe("invalid ground truth (devkit): 5 problems");
    }
    expect(() => parseDevkitTruth("\n", classes)).toThrow(/expected one line per test image, found an empty file/);
  });
});

describe("parseCsvTruth", () => {
  it("reads image_id,wnid with or without a header", () => {
    const body = `img-a,${W.c1}\n"img-b", ${W.c4}\n`;
    for (const text of [body, `image_id,wnid\n${body}`, `ImageId,Label\r\n${body}`]) {
      const truth = parseCsvTruth(text, classes);
      expect(truth.imageIds).toEqual(["img-a", "img-b"]);
      expect(Array.from(truth.labels)).toEqual([1, 4]);
      expect(truth.positionOfImage("img-b")).toBe(1);
      expect(truth.positionOfImage("1")).toBe(-1);
    }
  });

  it("without a class list, uses the sorted distinct wnids, unpublished", () => {
    const truth = parseCsvTruth(`x,${W.c5}\ny,${W.c1}\nz,${W.c5}`);
    expect(truth.classes.wnids).toEqual([W.c1, W.c5]);
    expect(truth.classes.published).toBe(false);
    expect(Array.from(truth.labels)).toEqual([1, 0, 1]);
  });

  it("refuses duplicates, bad wnids, classes outside the list and wrong field counts", () => {
    const text = `a,${W.c1}\nb,n0000001\na,${W.c2}\nc,${W.B}\nd\ne,${W.c1},x\n,${W.c1}`;
    try {
      parseCsvTruth(text, classes);
      expect.unreachable();
    } catch (error) {
      const e = error as ChallengeFileError;
      expect(e.problems.map((p) => [p.line, p.expected])).toEqual([
        [2, 'a wnid ("n" + 8 digits) as second field'],
        [3, "each image once"],
        [4, "a wnid of the class list"],
        [5, '"image_id,wnid"'],
        [6, '"image_id,wnid"'],
        [7, '"image_id,wnid"'],
      ]);
      expect(e.problems[1]?.found).toBe('"a" again (first on line 1)');
    }
  });
});

describe("detectTruthFormat", () => {
  it("tells devkit from CSV", () => {
    expect(detectTruthFormat("12\n7\n")).toBe("devkit");
    expect(detectTruthFormat(`image_id,wnid\na,${W.c1}`)).toBe("csv");
    expect(detectTruthFormat("hello\n")).toBeNull();
    expect(() => parseTruth("1\n", "devkit")).toThrow(/needs its class list/);
  });
});

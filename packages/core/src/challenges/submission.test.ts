import { describe, expect, it } from "vitest";
import { parseClassList } from "./classes.ts";
import { ChallengeFileError } from "./errors.ts";
import { parseCsvTruth, parseDevkitTruth } from "./ground-truth.ts";
import {
  type ChallengeSubmission,
  detectSubmissionFormat,
  normalizedSubmissionSha256,
  parseCsvSubmission,
  parseDevkitSubmission,
  parseJsonlSubmission,
  parseSubmission,
} from "./submission.ts";
import { idx, TOY_CLASS_LIST, W } from "./toy-challenge.ts";

const classes = parseClassList(TOY_CLASS_LIST); // indices: c3=1 c1=2 c5=3 c2=4 c4=5
const devkitTruth = parseDevkitTruth("2\n1\n3\n4\n", classes); // images 1..4: c1 c3 c5 c2
const csvTruth = parseCsvTruth(`image_id,wnid\nimg-1,${W.c1}\nimg-2,${W.c3}\nimg-3,${W.c5}\nimg-4,${W.c2}\n`, classes);

/** The guesses of each image as wnids. */
const guessed = (s: ChallengeSubmission): string[][] =>
  Array.from({ length: s.images }, (_, i) =>
    Array.from(s.guesses.subarray(i * 5, i * 5 + 5))
      .filter((g) => g >= 0)
      .map((g) => classes.wnids[g] as string),
  );

const problemsOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(ChallengeFileError);
    return (error as ChallengeFileError).problems;
  }
  throw new Error("expected a ChallengeFileError");
};

describe("parseDevkitSubmission", () => {
  it("reads up to 5 indices per line, in the ground truth's order; missing lines are missing images", () => {
    const s = parseDevkitSubmission("\uFEFF2 4\t1\r\n 1  \n3 3 3 3 3\n\n\n", devkitTruth);
    expect(guessed(s)).toEqual([[W.c1, W.c2, W.c3], [W.c3], [W.c5, W.c5, W.c5, W.c5, W.c5], []]);
    expect(s.predicted).toBe(3);
    expect(s.byIndex).toBe(true);
    expect(parseDevkitSubmission("", devkitTruth).predicted).toBe(0);
  });

  it("gives each bad line's number, what was expected and what was found", () => {
    const problems = problemsOf(() => parseDevkitSubmission("1 2 3 4 5 1\n\n2 x\n9\n", devkitTruth));
    expect(problems).toEqual([
      { line: 1, expected: "up to 5 class indices 1..5 separated by spaces", found: '6 guesses: "1 2 3 4 5 1"' },
      {
        line: 2,
        expected: "up to 5 class indices 1..5 separated by spaces (an empty line would shift every later image)",
        found: "an empty line",
      },
      { line: 3, expected: "up to 5 class indices 1..5 separated by spaces", found: '"2 x"' },
      { line: 4, expected: "class indices 1..5", found: '9 in "9"' },
    ]);
    expect(problemsOf(() => parseDevkitSubmission("1\n-2\n1.5\n", devkitTruth)).map((p) => p.line)).toEqual([2, 3]);
  });

  it("explains a 0 as 0-based numbering", () => {
    const [problem] = problemsOf(() => parseDevkitSubmission("1\n0 3\n", devkitTruth));
    expect(problem?.line).toBe(2);
    expect(problem?.expected).toMatch(
      /1-based positions in the challenge's class list: a 0 suggests a framework's 0-based, sorted-wnid numbering/,
    );
    expect(problem?.found).toBe('0 in "0 3"');
  });

  it("refuses more lines than test images, once, with the count", () => {
    const problems = problemsOf(() => parseDevkitSubmission("1\n1\n1\n1\n1\n1\n", devkitTruth));
    expect(problems).toEqual([{ line: 5, expected: "at most 4 lines (one per test image)", found: "6 lines" }]);
  });

  it("needs a published class list", () => {
    const truth = parseCsvTruth(`a,${W.c1}`);
    expect(() => parseDevkitSubmission("1\n", truth)).toThrow(/published class list/);
  });

  it("shows at most 10 problems and counts the rest", () => {
    try {
      parseDevkitSubmission(
        Array.from({ length: 4 }, () => "x").join("\n"),
        parseDevkitTruth("1\n".repeat(40), classes),
      );
    } catch (error) {
      expect((error as Error).message).not.toContain("more");
    }
    try {
      parseDevkitSubmission("x\n".repeat(30), parseDevkitTruth("1\n".repeat(40), classes));
      expect.unreachable();
    } catch (error) {
      const e = error as ChallengeFileError;
      expect(e.problemCount).toBe(30);
      expect(e.message.split("\n")).toHaveLength(12);
      expect(e.message).toMatch(/… and 20 more$/);
    }
  });
});

describe("parseCsvSubmission", () => {
  it("reads image_id,predictions with wnids or indices, header optional", () => {
    const body = `img-2,${W.c3} ${W.c4}\n"img-1","${idx(W.c1)} ${idx(W.c2)}"\r\n\nimg-4 , ${W.c2}\n`;
    for (const text of [body, `image_id,predictions\n${body}`, `ImageId,PredictionString\n${body}`]) {
      const s = parseCsvSubmission(text, csvTruth);
      expect(guessed(s)).toEqual([[W.c1, W.c2], [W.c3, W.c4], [], [W.c2]]);
      expect(s.predicted).toBe(3);
      expect(s.byIndex).toBe(false);
    }
    expect(parseCsvSubmission(`img-1,2 4`, csvTruth).byIndex).toBe(true);
  });

  it("against a devkit ground truth, image ids are the line numbers", () => {
    const s = parseCsvSubmission(`2,${W.c3}\n1,${W.c1}`, devkitTruth);
    expect(guessed(s).slice(0, 2)).toEqual([[W.c1], [W.c3]]);
    const [problem] = problemsOf(() => parseCsvSubmission(`img-1,${W.c1}`, devkitTruth));
    expect(problem?.expected).toMatch(/line numbers 1..4 of the devkit ground truth/);
  });

  it("refuses unknown images and classes, duplicates, empty and too many guesses, malformed lines", () => {
    const text = [
      `img-1,${W.c1}`,
      `img-9,${W.c1}`,
      `img-1,${W.c2}`,
      `img-2,${W.B}`,
      "img-3,",
      `img-4,1 2 3 4 5 1`,
      `img-5`,
      `img-2,7`,
      `img-3,cat`,
    ].join("\n");
    const problems = problemsOf(() => parseCsvSubmission(text, csvTruth));
    expect(problems.map((p) => [p.line, p.expected, p.found])).toEqual([
      [2, "an image id of the ground truth (the ground truth's image ids)", '"img-9"'],
      [3, "one line per image", '"img-1" again (first on line 1)'],
      [4, "a wnid of the challenge's class list", `"${W.B}"`],
      [5, "1 to 5 guesses", 'none in "img-3,"'],
      [6, "at most 5 guesses", '6 in "img-4,1 2 3 4 5 1"'],
      [7, '"image_id,predictions" (two fields; predictions separated by spaces)', '"img-5"'],
      [8, "one line per image", '"img-2" again (first on line 4)'],
      [9, "one line per image", '"img-3" again (first on line 5)'],
    ]);
  });

  it("refuses indices when the class list is not published", () => {
    const truth = parseCsvTruth(`a,${W.c1}\nb,${W.c2}`);
    const [problem] = problemsOf(() => parseCsvSubmission("a,1", truth));
    expect(problem?.expected).toMatch(/class indices need the challenge's published class list/);
    expect(guessed(parseCsvSubmission(`a,${W.c2} ${W.c1}`, truth)).length).toBe(2);
  });
});

describe("parseJsonlSubmission", () => {
  it("reads {imageId, wnids} lines and arbor-train predict's {sha256, predictions}", () => {
    const text = [
      JSON.stringify({ imageId: "img-1", wnids: [W.c1, W.c5] }),
      "",
      JSON.stringify({
        sha256: "img-2",
        path: "x.jpg",
        predictions: [
          { wnid: W.c4, score: 0.2 },
          { wnid: W.c3, score: 0.7 },
        ],
      }),
    ].join("\n");
    const s = parseJsonlSubmission(text, csvTruth);
    expect(guessed(s)).toEqual([[W.c1, W.c5], [W.c3, W.c4], [], []]);
    expect(s.byIndex).toBe(false);
  });

  it("refuses malformed JSON, wrong shapes, unknown classes and too many guesses", () => {
    const text = [
      "{not json",
      JSON.stringify({ imageId: "img-1", wnids: "n00000011" }),
      JSON.stringify({ imageId: "img-2", wnids: [2] }),
      JSON.stringify({ imageId: "img-3", wnids: ["n99999999"] }),
      JSON.stringify({ imageId: "img-4", wnids: [W.c1, W.c1, W.c1, W.c1, W.c1, W.c1] }),
      JSON.stringify({ image: "img-1" }),
      "[1]",
      JSON.stringify({ imageId: "img-1", wnids: ["3"] }),
    ].join("\n");
    const problems = problemsOf(() => parseJsonlSubmission(text, csvTruth));
    expect(problems.map((p) => [p.line, p.expected.slice(0, 20)])).toEqual([
      [1, 'a JSON object {"imag'],
      [2, '"wnids" an array of '],
      [3, '"wnids" an array of '],
      [4, "a wnid of the challe"],
      [5, "at most 5 guesses"],
      [6, '{"imageId": "…", "wn'],
      [7, 'a JSON object {"imag'],
      [8, 'a wnid ("n" + 8 digi'],
    ]);
  });
});

describe("format detection and content hash", () => {
  it("guesses the format from the first non-blank line", () => {
    expect(detectSubmissionFormat("\n 3 4 5\n")).toBe("devkit");
    expect(detectSubmissionFormat("image_id,predictions\n")).toBe("csv");
    expect(detectSubmissionFormat('{"imageId":"a","wnids":[]}')).toBe("jsonl");
    expect(detectSubmissionFormat("n01440764 n01443537")).toBeNull();
    expect(detectSubmissionFormat("")).toBeNull();
    expect(parseSubmission("2\n", devkitTruth, "devkit").predicted).toBe(1);
  });

  it("hashes the normalised content: BOM, CRLF and trailing blank lines do not matter", () => {
    const a = normalizedSubmissionSha256("1 2\n3 4\n");
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(normalizedSubmissionSha256("\uFEFF1 2\r\n3 4")).toBe(a);
    expect(normalizedSubmissionSha256("1 2\n3 4\n\n\n")).toBe(a);
    expect(normalizedSubmissionSha256("1 2\n3 5\n")).not.toBe(a);
    expect(normalizedSubmissionSha256("1 2\n\n3 4\n")).not.toBe(a);
  });
});

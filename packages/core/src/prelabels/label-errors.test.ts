import { describe, expect, it } from "vitest";
import { classThresholds, likelyLabelErrors } from "./label-errors.ts";

const row = (id: number, givenClass: string, probs: Record<string, number>) => ({
  id,
  givenClass,
  probs: new Map(Object.entries(probs)),
});

describe("confident learning", () => {
  const rows = [
    row(1, "cat", { cat: 0.9, dog: 0.1 }),
    row(2, "cat", { cat: 0.9, dog: 0.1 }),
    row(3, "cat", { cat: 0.9, dog: 0.1 }),
    row(4, "cat", { cat: 0.9, dog: 0.1 }),
    row(5, "cat", { cat: 0.05, dog: 0.95 }), // planted: a dog labelled cat
    row(6, "dog", { dog: 0.8, cat: 0.2 }),
    row(7, "dog", { dog: 0.8, cat: 0.2 }),
    row(8, "dog", { dog: 0.8, cat: 0.2 }),
    row(9, "dog", { dog: 0.5, cat: 0.5 }), // doubtful, but no other class is confident
    row(10, "dog", { dog: 0.1, cat: 0.75, fox: 0.15 }), // planted: a cat labelled dog, smaller margin
    row(11, "fox", { dog: 0.9 }), // fox missing from its top-k: p(fox) counts 0
  ];

  it("sets each class's threshold to its mean probability over its own items", () => {
    const t = classThresholds(rows);
    expect(t.get("cat")).toBeCloseTo((4 * 0.9 + 0.05) / 5, 12); // 0.73
    expect(t.get("dog")).toBeCloseTo((3 * 0.8 + 0.5 + 0.1) / 5, 12); // 0.6
    expect(t.get("fox")).toBe(0);
    expect(t.size).toBe(3);
  });

  it("finds the planted mislabels, ranked by margin, and not the correct or merely doubtful ones", () => {
    const errors = likelyLabelErrors(rows, classThresholds(rows));
    // Row 5: p(cat) 0.05 < 0.73 and p(dog) 0.95 ≥ 0.6 → dog, margin 0.9.
    // Row 10: p(dog) 0.1 < 0.6 and p(cat) 0.75 ≥ 0.73 → cat (fox 0.15 ≥ 0 too, but lower), margin 0.65.
    // Row 9: p(dog) 0.5 < 0.6, but cat 0.5 < 0.73. Row 11: p(fox) 0 is not below the fox threshold 0.
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({ id: 5, givenClass: "cat", givenProbability: 0.05, suggestedClass: "dog" });
    expect(errors[0]?.margin).toBeCloseTo(0.9, 12);
    expect(errors[1]).toMatchObject({ id: 10, givenClass: "dog", suggestedClass: "cat", suggestedProbability: 0.75 });
    expect(errors[1]?.margin).toBeCloseTo(0.65, 12);
  });

  it("skips a row whose class has no threshold", () => {
    expect(likelyLabelErrors([row(1, "cow", { cat: 0.99 })], new Map([["cat", 0.5]]))).toEqual([]);
  });

  it("refuses a probability outside [0, 1]", () => {
    expect(() => classThresholds([row(1, "cat", { cat: 1.2 })])).toThrow(RangeError);
    expect(() =>
      likelyLabelErrors(
        [row(1, "cat", { cat: 0.1, dog: -1 })],
        new Map([
          ["cat", 0.5],
          ["dog", 0.1],
        ]),
      ),
    ).toThrow(RangeError);
  });
});

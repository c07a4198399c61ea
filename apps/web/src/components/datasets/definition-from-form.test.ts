import { describe, expect, it } from "vitest";
import { conflictsIn, definitionFrom } from "./definition-from-form";

const formOf = (fields: Record<string, string>) => {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return form;
};

const common = {
  name: "  dogs-120 ",
  description: "dogs, for a start",
  links: "verified",
  minPerClass: "5",
  maxPerClass: "",
  seed: "",
  train: "0.8",
  val: "0.1",
  test: "0.1",
  valCount: "50",
  testCount: "",
};

describe("definitionFrom", () => {
  it("maps explicit wnids and fractions; a blank number is left out, not zero", () => {
    const form = formOf({
      ...common,
      wnids: "n02085620\nn02085782, n02085936;;  ",
      roots: "n02084071",
      includeDescendants: "on",
    });
    expect(definitionFrom(form, "wnids", "fractions", "report")).toStrictEqual({
      name: "dogs-120",
      description: "dogs, for a start",
      classes: { kind: "wnids", wnids: ["n02085620", "n02085782", "n02085936"] },
      conflicts: "report",
      includeDescendants: true,
      links: "verified",
      maxPerClass: undefined,
      minPerClass: 5,
      splits: { mode: "fractions", train: 0.8, val: 0.1, test: 0.1 },
      seed: undefined,
      withholdLabels: [],
    });
  });

  it("maps subtrees with their minimum and counts per class, ignoring the fields of the modes not chosen", () => {
    const form = formOf({ ...common, wnids: "n02085620", roots: " n02084071  n02121808 ", minImages: "3", seed: "7" });
    expect(definitionFrom(form, "subtree", "counts", "drop-ancestors")).toStrictEqual({
      name: "dogs-120",
      description: "dogs, for a start",
      classes: { kind: "subtree", roots: ["n02084071", "n02121808"], minImages: 3 },
      conflicts: "drop-ancestors",
      includeDescendants: false,
      links: "verified",
      maxPerClass: undefined,
      minPerClass: 5,
      splits: { mode: "counts", val: 50, test: undefined },
      seed: 7,
      withholdLabels: [],
    });
  });

  it("sends the ILSVRC-2012 class set without lists, and numbers as typed so the server can refuse them", () => {
    const definition = definitionFrom(
      formOf({ ...common, maxPerClass: "1300", seed: "1.5", train: "eighty" }),
      "ilsvrc2012",
      "fractions",
      "drop-descendants",
    );
    expect(definition.classes).toStrictEqual({ kind: "ilsvrc2012" });
    expect(definition.conflicts).toBe("drop-descendants");
    expect(definition.maxPerClass).toBe(1300);
    expect(definition.seed).toBe(1.5);
    expect(definition.splits).toStrictEqual({ mode: "fractions", train: Number.NaN, val: 0.1, test: 0.1 });
  });

  it("gives an empty list for a blank wnid field", () => {
    expect(definitionFrom(formOf({ ...common, wnids: " \n, " }), "wnids", "fractions", "report").classes).toStrictEqual(
      {
        kind: "wnids",
        wnids: [],
      },
    );
  });

  it("withholds the test split's labels when asked", () => {
    const form = formOf({ ...common, wnids: "n02085620", withholdTestLabels: "on" });
    expect(definitionFrom(form, "wnids", "fractions", "report").withholdLabels).toEqual(["test"]);
    expect(
      definitionFrom(formOf({ ...common, wnids: "n02085620" }), "wnids", "fractions", "report").withholdLabels,
    ).toEqual([]);
  });
});

describe("conflictsIn", () => {
  it("reads the ancestor/descendant pairs of a refusal's detail", () => {
    const detail = {
      conflicts: [
        { ancestor: "n02084071", descendant: "n02085620" },
        { ancestor: "n02084071", descendant: "n02085782", depth: 2 },
      ],
    };
    expect(conflictsIn(detail)).toEqual(detail.conflicts);
  });

  it("drops malformed entries and gives none when there is no list", () => {
    expect(conflictsIn({ conflicts: [{ ancestor: "a" }, null, "a>b", { ancestor: "a", descendant: "b" }] })).toEqual([
      { ancestor: "a", descendant: "b" },
    ]);
    expect(conflictsIn({ conflicts: "a>b" })).toEqual([]);
    expect(conflictsIn({})).toEqual([]);
    expect(conflictsIn(null)).toEqual([]);
    expect(conflictsIn(undefined)).toEqual([]);
  });
});

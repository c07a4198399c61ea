import type { HierarchySynset } from "@arbor/core";
import { describe, expect, it } from "vitest";
import { buildHierarchy } from "../testing/wordnet-subset.ts";
import { HierarchyDistance } from "./hierarchical-distance.ts";

const s = (id: number, wnid: string, children: number[], h: number): HierarchySynset => ({
  id,
  wnid,
  words: wnid,
  gloss: "",
  children,
  wordnetHeight: h,
  numTrainImages: 0,
});

// root(3) ─ animal(2) ─ dog(1)... : classes 1..4 are leaves, ancestors follow (the devkit's layout).
//   n00000010 root (h 2)
//   ├── n00000008 animal (h 1): cat n00000001, dog n00000002
//   └── n00000009 vehicle (h 1): car n00000003, ship n00000004; plus "amphibian" n00000005 under both (a DAG)
const synsets = [
  s(1, "n00000001", [], 0),
  s(2, "n00000002", [], 0),
  s(3, "n00000003", [], 0),
  s(4, "n00000004", [], 0),
  s(5, "n00000005", [], 0),
  s(6, "n00000008", [1, 2, 5], 1),
  s(7, "n00000009", [3, 4, 5], 1),
  s(8, "n00000010", [6, 7], 2),
];

describe("hierarchical distance", () => {
  const h = new HierarchyDistance(synsets);

  it("is 0 for the same class, the LCA's height otherwise", () => {
    expect(h.lcaHeight("n00000001", "n00000001")).toBe(0);
    expect(h.lcaHeight("n00000001", "n00000002")).toBe(1);
    expect(h.lcaHeight("n00000001", "n00000003")).toBe(2);
    expect(h.lcaHeight("n00000005", "n00000003")).toBe(1); // through its second parent
  });

  it("counts edges for the tree distance", () => {
    expect(h.treeDistance("n00000001", "n00000002")).toBe(2);
    expect(h.treeDistance("n00000001", "n00000004")).toBe(4);
    expect(h.treeDistance("n00000005", "n00000004")).toBe(2);
  });

  it("takes the best of the top-5 for an image (ILSVRC-2010)", () => {
    expect(h.imageCost("n00000001", ["n00000003", "n00000002", "n00000004"])).toBe(1);
    expect(h.imageCost("n00000001", ["n00000003", "n00000001"])).toBe(0);
    expect(h.imageCost("n00000001", ["n00000003", "n00000002"], "tree")).toBe(2);
  });

  it("works on a real WordNet subset: cat is nearer dog than ship", () => {
    const real = new HierarchyDistance(buildHierarchy(["n02121808", "n02084071", "n04194289"], [1, 1, 1]));
    expect(real.treeDistance("n02121808", "n02084071")).toBeLessThan(real.treeDistance("n02121808", "n04194289"));
    expect(real.lcaHeight("n02121808", "n02084071")).toBeLessThan(real.lcaHeight("n02121808", "n04194289"));
  });
});

import { describe, expect, it } from "vitest";
import { computeClosure } from "./closure.ts";
import { Dag, type IsAEdge } from "./dag.ts";

// entity(1) -> animal(2) -> canine(3) -> dog(5); entity -> domestic animal(4) -> dog(5); dog -> puppy(6)
const edges: IsAEdge[] = [
  { parent: 1, child: 2, kind: "hypernym" },
  { parent: 2, child: 3, kind: "hypernym" },
  { parent: 1, child: 4, kind: "hypernym" },
  { parent: 3, child: 5, kind: "hypernym" },
  { parent: 4, child: 5, kind: "hypernym" },
  { parent: 5, child: 6, kind: "instance" },
];
const dag = new Dag([1, 2, 3, 4, 5, 6], edges);

describe("computeClosure", () => {
  const { rows, depth, subtreeSize } = computeClosure(dag);
  const distance = (a: number, d: number) => rows.find((r) => r.ancestor === a && r.descendant === d)?.distance;

  it("lists every ancestor once, with the shortest distance", () => {
    expect(
      rows
        .filter((r) => r.descendant === 5)
        .map((r) => r.ancestor)
        .sort(),
    ).toEqual([1, 2, 3, 4, 5]);
    expect(distance(1, 5)).toBe(2); // through domestic animal, not 3 through animal/canine
    expect(distance(5, 5)).toBe(0);
    expect(distance(1, 6)).toBe(3);
    expect(rows).toHaveLength(1 + 2 + 3 + 2 + 5 + 6); // ancestors, self included, of synsets 1..6
  });

  it("counts a shared descendant once per subtree and finds the shortest depth", () => {
    expect(subtreeSize.get(1)).toBe(6);
    expect(subtreeSize.get(4)).toBe(3);
    expect(subtreeSize.get(6)).toBe(1);
    expect(depth.get(1)).toBe(0);
    expect(depth.get(5)).toBe(2);
    expect(depth.get(6)).toBe(3);
  });

  it("refuses a cycle and an edge to an unknown synset", () => {
    const cyclic = new Dag(
      [1, 2, 3],
      [
        { parent: 1, child: 2, kind: "hypernym" },
        { parent: 2, child: 3, kind: "hypernym" },
        { parent: 3, child: 2, kind: "hypernym" },
      ],
    );
    expect(() => computeClosure(cyclic)).toThrow(/cycle/);
    expect(() => new Dag([1], [{ parent: 1, child: 9, kind: "hypernym" }])).toThrow(/unknown synset/);
  });
});

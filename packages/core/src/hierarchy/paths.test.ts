import { describe, expect, it } from "vitest";
import { pathsToRoot } from "./paths.ts";

const parents: Record<number, number[]> = { 1: [], 2: [1], 3: [2], 4: [1], 5: [3, 4], 6: [5] };
const parentsOf = (id: number) => parents[id] ?? [];

describe("pathsToRoot", () => {
  it("returns every path, root first, shortest first", () => {
    expect(pathsToRoot(6, parentsOf)).toEqual([
      [1, 4, 5, 6],
      [1, 2, 3, 5, 6],
    ]);
  });

  it("returns the root alone for the root", () => {
    expect(pathsToRoot(1, parentsOf)).toEqual([[1]]);
  });

  it("stops at the limit", () => {
    expect(pathsToRoot(6, parentsOf, 1)).toHaveLength(1);
  });
});

import { describe, expect, it } from "vitest";
import { ChallengeClasses } from "./classes.ts";
import { ChallengeFileError } from "./errors.ts";
import {
  buildScoringHierarchy,
  edgesFromHierarchySynsets,
  HierarchyCosts,
  parseIsAEdges,
  scoringHierarchyFingerprint,
  scoringHierarchySchema,
} from "./hierarchy.ts";
import { TOY_EDGES, toyClasses, W } from "./toy-challenge.ts";

const classes = toyClasses(); // positions: c3 c1 c5 c2 c4
const p = (wnid: string) => classes.positionOf(wnid);

describe("HierarchyCosts", () => {
  const costs = new HierarchyCosts(buildScoringHierarchy(TOY_EDGES, classes), classes);

  it("is the height of the lowest common ancestor, worked out by hand", () => {
    expect(costs.maxHeight).toBe(3); // R: R → B → C → c3
    expect(costs.between(p(W.c1), p(W.c1))).toBe(0);
    expect(costs.between(p(W.c1), p(W.c2))).toBe(1); // A
    expect(costs.between(p(W.c3), p(W.c5))).toBe(2); // B
    expect(costs.between(p(W.c1), p(W.c3))).toBe(3); // R
    expect(costs.between(p(W.c2), p(W.c5))).toBe(3); // R
    expect(costs.between(p(W.c3), p(W.c4))).toBe(1); // C
  });

  it("takes, in a DAG, the common ancestor of least height", () => {
    // c4 is under C and under A: with c1 it meets at A (height 1), not at R (3)
    expect(costs.between(p(W.c1), p(W.c4))).toBe(1);
    // with c5 it meets at B (2): B is above C, and A is not above c5
    expect(costs.between(p(W.c5), p(W.c4))).toBe(2);
    expect(costs.between(p(W.c4), p(W.c5))).toBe(2);
  });

  it("gives d(x, x) = 0 for an inner-node class, and its height against a class below it", () => {
    const inner = new ChallengeClasses([W.C, W.c3, W.c1]);
    const c = new HierarchyCosts(buildScoringHierarchy(TOY_EDGES, inner), inner);
    expect(c.between(0, 0)).toBe(0);
    expect(c.between(0, 1)).toBe(1); // C itself is the lowest common ancestor of C and c3
    expect(c.between(1, 2)).toBe(3);
  });

  it("joins several roots with a virtual root one above the tallest", () => {
    const two = new ChallengeClasses([W.c1, W.c2, W.c3]);
    const edges = [
      { parent: W.A, child: W.c1 },
      { parent: W.A, child: W.c2 },
      { parent: W.C, child: W.c3 },
    ];
    const c = new HierarchyCosts(buildScoringHierarchy(edges, two), two);
    expect(c.maxHeight).toBe(2);
    expect(c.between(0, 1)).toBe(1);
    expect(c.between(0, 2)).toBe(2);
  });

  it("refuses a class the hierarchy does not know, and cycles", () => {
    const extra = new ChallengeClasses([W.c1, "n00000099"]);
    expect(() => buildScoringHierarchy(TOY_EDGES, extra)).toThrow(
      /expected every class in some is-a edge, found n00000099 \(class 2\) in none/,
    );
    const looped = [...TOY_EDGES, { parent: W.c4, child: W.B }];
    expect(() => new HierarchyCosts(buildScoringHierarchy(looped, classes), classes)).toThrow(ChallengeFileError);
    expect(() => new HierarchyCosts(buildScoringHierarchy(looped, classes), classes)).toThrow(/without cycles/);
  });
});

describe("the stored hierarchy", () => {
  it("keeps only the classes and their ancestors, sorted and deduplicated", () => {
    const only = new ChallengeClasses([W.c1, W.c2]);
    const h = buildScoringHierarchy(
      [...TOY_EDGES, { parent: W.A, child: W.c1 }, { parent: "n00000100", child: W.R }],
      only,
    );
    expect(h.edges).toEqual([
      ["n00000001", "n00000002"],
      ["n00000002", "n00000011"],
      ["n00000002", "n00000012"],
      ["n00000100", "n00000001"],
    ]);
  });

  it("has a fingerprint that depends on the edges, not their order, and survives JSON", () => {
    const h = buildScoringHierarchy(TOY_EDGES, classes);
    const again = buildScoringHierarchy([...TOY_EDGES].reverse(), classes);
    const fp = scoringHierarchyFingerprint(h);
    expect(fp).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(scoringHierarchyFingerprint(again)).toBe(fp);
    const stored = scoringHierarchySchema.parse(JSON.parse(JSON.stringify(h)));
    expect(scoringHierarchyFingerprint(stored)).toBe(fp);
    expect(new HierarchyCosts(stored, classes).fingerprint).toBe(fp);
    const other = buildScoringHierarchy([...TOY_EDGES, { parent: W.A, child: W.c3 }], classes);
    expect(scoringHierarchyFingerprint(other)).not.toBe(fp);
    expect(new HierarchyCosts(other, classes).between(p(W.c1), p(W.c3))).toBe(1);
  });
});

describe("parseIsAEdges", () => {
  it("reads parent child lines, skipping blanks and comments, with line numbers on errors", () => {
    expect(parseIsAEdges(`# is-a\n${W.R} ${W.A}\r\n\n${W.A}\t${W.c1}\n`)).toEqual([
      { parent: W.R, child: W.A },
      { parent: W.A, child: W.c1 },
    ]);
    try {
      parseIsAEdges(`${W.R} ${W.A}\n${W.R}\n${W.R} x\n${W.R} ${W.A} ${W.B}`);
      expect.unreachable();
    } catch (error) {
      expect((error as ChallengeFileError).problems.map((x) => x.line)).toEqual([2, 3, 4]);
      expect((error as Error).message).toContain(
        'line 2: expected "parent_wnid child_wnid" (two wnids), found "n00000001"',
      );
    }
  });

  it("reads an export's hierarchy.json synsets", () => {
    const synsets = [
      { id: 1, wnid: W.c1, words: "", gloss: "", children: [], wordnetHeight: 0, numTrainImages: 0 },
      { id: 2, wnid: W.A, words: "", gloss: "", children: [1], wordnetHeight: 1, numTrainImages: 0 },
    ];
    expect(edgesFromHierarchySynsets(synsets)).toEqual([{ parent: W.A, child: W.c1 }]);
    expect(() => edgesFromHierarchySynsets([{ ...(synsets[1] as (typeof synsets)[number]), children: [7] }])).toThrow(
      /children that are synset ids/,
    );
  });
});

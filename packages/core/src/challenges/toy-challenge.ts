// A small challenge for the tests, with costs worked out by hand.
import { ChallengeClasses } from "./classes.ts";

/*
 *             R (height 3)
 *           /   \
 *    (1)  A       B  (2)
 *        / \ \   / \
 *      c1 c2  \ C   c5        C (1)
 *              \/ \
 *              c4  c3         c4 has two parents: C and A (a DAG)
 */
export const W = {
  R: "n00000001",
  A: "n00000002",
  B: "n00000003",
  C: "n00000004",
  c1: "n00000011",
  c2: "n00000012",
  c3: "n00000013",
  c4: "n00000014",
  c5: "n00000015",
} as const;

export const TOY_EDGES = [
  { parent: W.R, child: W.A },
  { parent: W.R, child: W.B },
  { parent: W.A, child: W.c1 },
  { parent: W.A, child: W.c2 },
  { parent: W.A, child: W.c4 },
  { parent: W.B, child: W.C },
  { parent: W.B, child: W.c5 },
  { parent: W.C, child: W.c3 },
  { parent: W.C, child: W.c4 },
];

/** Published order c3, c1, c5, c2, c4 (indices 1..5): deliberately not the sorted-wnid order. */
export const TOY_CLASS_LIST = `${W.c3} 1 three\n${W.c1} 2 one\n${W.c5} 3 five\n${W.c2} 4 two\n${W.c4} 5 four\n`;

export const toyClasses = () =>
  new ChallengeClasses([W.c3, W.c1, W.c5, W.c2, W.c4], ["three", "one", "five", "two", "four"]);

/** 1-based published index of a toy class. */
export const idx = (wnid: string): number => toyClasses().positionOf(wnid) + 1;

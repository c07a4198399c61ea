import { describe, expect, it } from "vitest";
import { parseClassList } from "./classes.ts";
import { parseDevkitTruth } from "./ground-truth.ts";
import { buildScoringHierarchy, HierarchyCosts } from "./hierarchy.ts";
import { classBreakdown, diagnoseClassOrder, scoreSubmission } from "./scoring.ts";
import { parseCsvSubmission, parseDevkitSubmission } from "./submission.ts";
import { idx, TOY_CLASS_LIST, TOY_EDGES, W } from "./toy-challenge.ts";

const classes = parseClassList(TOY_CLASS_LIST);
const costs = new HierarchyCosts(buildScoringHierarchy(TOY_EDGES, classes), classes);
// images 1..4: c1 c3 c5 c2
const truth = parseDevkitTruth([W.c1, W.c3, W.c5, W.c2].map(idx).join("\n"), classes);
// 1: c2 c1 (top-1 wrong, top-5 right)   2: c4 c5 (both wrong; d = min(1, 2) = 1)
// 3: c5 (right)                          4: missing (wrong, d = 3)
const submission = parseDevkitSubmission(
  [`${idx(W.c2)} ${idx(W.c1)}`, `${idx(W.c4)} ${idx(W.c5)}`, `${idx(W.c5)}`].join("\n"),
  truth,
);

describe("scoreSubmission", () => {
  it("computes top-1, top-5 and both hierarchical errors (hand-computed)", () => {
    const report = scoreSubmission(truth, submission, { hierarchy: costs });
    expect(report).toMatchObject({ images: 4, predicted: 3, top1: 0.75, top5: 0.5, hier2010: 1, public: null });
    expect(report.hier2011).toBeCloseTo(1 / 3, 12);
    expect(report.hierarchy).toBe(costs.fingerprint);
    expect(report.warnings).toEqual(["1 of 4 test images have no prediction; they count as wrong"]);
  });

  it("leaves the hierarchical errors null without a hierarchy", () => {
    const report = scoreSubmission(truth, submission);
    expect(report).toMatchObject({ top1: 0.75, top5: 0.5, hier2010: null, hier2011: null, hierarchy: null });
  });

  it("scores the public and private images apart", () => {
    const report = scoreSubmission(truth, submission, { hierarchy: costs, publicMask: Uint8Array.from([1, 0, 0, 1]) });
    expect(report.public).toEqual({ images: 2, predicted: 1, top1: 1, top5: 0.5, hier2010: 1.5, hier2011: 0.5 });
    expect(report.private).toEqual({ images: 2, predicted: 2, top1: 0.5, top5: 0.5, hier2010: 0.5, hier2011: 0.5 / 3 });
    expect(report).toMatchObject({ images: 4, top1: 0.75, top5: 0.5, hier2010: 1 });
    const allPublic = scoreSubmission(truth, submission, { publicMask: new Uint8Array(4).fill(1) });
    expect(allPublic.private).toBeNull();
    expect(allPublic.public?.top1).toBe(0.75);
  });

  it("scores a perfect submission 0 and an empty one 1 (the maximum cost)", () => {
    const perfect = parseDevkitSubmission("2\n1\n3\n4\n", truth);
    expect(scoreSubmission(truth, perfect, { hierarchy: costs })).toMatchObject({ top1: 0, top5: 0, hier2010: 0 });
    const empty = parseDevkitSubmission("", truth);
    expect(scoreSubmission(truth, empty, { hierarchy: costs })).toMatchObject({
      top1: 1,
      top5: 1,
      hier2010: 3,
      hier2011: 1,
    });
  });

  it("gives the same scores whatever the file format", () => {
    const csv = parseCsvSubmission(`2,${W.c4} ${W.c5}\n1,${W.c2} ${W.c1}\n3,${W.c5}\n`, truth);
    const a = scoreSubmission(truth, csv, { hierarchy: costs });
    const b = scoreSubmission(truth, submission, { hierarchy: costs });
    expect(a).toEqual(b);
  });
});

describe("class order", () => {
  it("warns when a perfect submission was numbered in sorted-wnid order", () => {
    const wnids = Array.from({ length: 10 }, (_, i) => `n0000${String(9 - i).padStart(4, "0")}`); // reverse-sorted
    const list = parseClassList(wnids.map((w, i) => `${w} ${i + 1}`).join("\n"));
    const labels = Array.from({ length: 200 }, (_, i) => (i * 7) % 10); // positions
    const t = parseDevkitTruth(labels.map((l) => l + 1).join("\n"), list);
    const sortedIndex = (position: number) => [...wnids].sort().indexOf(wnids[position] as string) + 1;
    const wrongOrder = parseDevkitSubmission(labels.map((l) => sortedIndex(l)).join("\n"), t);
    const report = scoreSubmission(t, wrongOrder);
    expect(report.top1).toBeGreaterThan(0.8);
    expect(report.warnings.join("\n")).toMatch(
      /sorted-wnid numbering: top-5 error 1\.0000 .*, 0\.0000 if read in sorted-wnid order counted from 1/,
    );
    const diagnosis = diagnoseClassOrder(t, wrongOrder);
    expect(diagnosis.sortedFromOne).toBe(0);
    // the same, 0-based (index 0 would be refused, so only positions 1..9 of the sorted list are used here)
    const shifted = labels.map((l) => sortedIndex(l) - 1).map((j) => (j === 0 ? 10 : j));
    const zeroBased = diagnoseClassOrder(t, parseDevkitSubmission(shifted.join("\n"), t));
    expect(zeroBased.sortedFromZero).toBeNull(); // index 10 was used: it cannot be 0-based
    const right = parseDevkitSubmission(labels.map((l) => l + 1).join("\n"), t);
    expect(scoreSubmission(t, right).warnings).toEqual([]);
    expect(diagnoseClassOrder(t, right).warning).toBeNull();
  });

  it("does not second-guess wnids", () => {
    const csv = parseCsvSubmission(`1,${W.c2}\n2,${W.c1}\n3,${W.c3}\n4,${W.c4}`, truth);
    expect(diagnoseClassOrder(truth, csv).warning).toBeNull();
  });
});

describe("classBreakdown", () => {
  it("gives per-class errors and the most confused pairs", () => {
    const t = parseDevkitTruth([W.c1, W.c1, W.c1, W.c3, W.c3, W.c5].map(idx).join("\n"), classes);
    const s = parseDevkitSubmission(
      [W.c2, W.c2, W.c1, W.c1, `${W.c4}`].map((w) => `${idx(w)}${w === W.c4 ? ` ${idx(W.c3)}` : ""}`).join("\n"),
      t,
    );
    const { perClass, confusions } = classBreakdown(t, s);
    expect(perClass).toEqual([
      { index: 1, wnid: W.c3, name: "three", images: 2, top1: 1, top5: 0.5 },
      { index: 2, wnid: W.c1, name: "one", images: 3, top1: 2 / 3, top5: 2 / 3 },
      { index: 3, wnid: W.c5, name: "five", images: 1, top1: 1, top5: 1 },
    ]);
    expect(confusions).toEqual([
      { truth: W.c1, predicted: W.c2, count: 2 },
      { truth: W.c3, predicted: W.c1, count: 1 },
      { truth: W.c3, predicted: W.c4, count: 1 },
    ]);
    expect(classBreakdown(t, s, { topConfusions: 1 }).confusions).toHaveLength(1);
  });
});

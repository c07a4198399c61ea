import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { assignSplits, capByRank, SplitAssigner } from "./assign-splits.ts";
import { resolveClassConflicts } from "./class-conflicts.ts";
import { datasetDefinitionSchema, type SplitSpec } from "./dataset-definition.ts";
import { diffVersions } from "./diff-versions.ts";
import { ILSVRC2012_WNIDS } from "./ilsvrc2012.ts";
import { nearDuplicateGroups } from "./near-duplicate-groups.ts";
import { splitRank } from "./split-rank.ts";
import { splitTargets } from "./split-targets.ts";

const sha = (label: string) => createHash("sha256").update(label).digest("hex");
const shas = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => sha(`${prefix}-${i}`));
const fractions: SplitSpec = { mode: "fractions", train: 0.8, val: 0.1, test: 0.1 };

function countSplits(splitOf: Map<string, string>, members: readonly string[]) {
  const counts = { train: 0, val: 0, test: 0 } as Record<string, number>;
  for (const s of members) counts[splitOf.get(s) as string] = (counts[splitOf.get(s) as string] ?? 0) + 1;
  return counts;
}

describe("splitRank", () => {
  it("is deterministic, in [0,1), and changes with the seed", () => {
    const s = sha("x");
    expect(splitRank(7, s)).toBe(splitRank(7, s));
    expect(splitRank(7, s)).not.toBe(splitRank(8, s));
    const ranks = shas("r", 2000).map((h) => splitRank(1, h));
    for (const r of ranks) expect(r >= 0 && r < 1).toBe(true);
    // roughly uniform: each decile holds 200 ± 60
    const deciles = Array.from({ length: 10 }, (_, d) => ranks.filter((r) => Math.floor(r * 10) === d).length);
    for (const count of deciles) expect(Math.abs(count - 200)).toBeLessThan(60);
  });
});

describe("splitTargets", () => {
  it("sums to n and stays within 1 of each fraction", () => {
    for (let n = 0; n < 200; n++) {
      const t = splitTargets({ mode: "fractions", train: 0.7, val: 0.15, test: 0.15 }, n);
      expect(t.train + t.val + t.test).toBe(n);
      expect(Math.abs(t.train - 0.7 * n)).toBeLessThan(1 + 1e-9);
      expect(Math.abs(t.val - 0.15 * n)).toBeLessThan(1 + 1e-9);
      expect(Math.abs(t.test - 0.15 * n)).toBeLessThan(1 + 1e-9);
    }
  });

  it("gives exact per-class counts, test first, as far as the class has images", () => {
    expect(splitTargets({ mode: "counts", val: 5, test: 10 }, 100)).toEqual({ train: 85, val: 5, test: 10 });
    expect(splitTargets({ mode: "counts", val: 5, test: 10 }, 12)).toEqual({ train: 0, val: 2, test: 10 });
  });
});

describe("assignSplits", () => {
  it("is stratified: every class meets its targets exactly", () => {
    const classes = [0, 1, 2].map((classIndex) => ({
      classIndex,
      sha256s: shas(`c${classIndex}`, 50 + classIndex * 17),
    }));
    const splitOf = assignSplits(fractions, 3, classes);
    for (const c of classes) expect(countSplits(splitOf, c.sha256s)).toEqual(splitTargets(fractions, c.sha256s.length));
  });

  it("gives a shared class the same splits whatever the other classes are", () => {
    const cat = { classIndex: 0, sha256s: shas("cat", 120) };
    const a = assignSplits(fractions, 42, [cat, { classIndex: 1, sha256s: shas("dog", 80) }]);
    const b = assignSplits(fractions, 42, [
      { classIndex: 0, sha256s: shas("bird", 30) },
      { ...cat, classIndex: 1 },
    ]);
    for (const s of cat.sha256s) expect(b.get(s)).toBe(a.get(s));
    // a different seed does move images
    const c = assignSplits(fractions, 43, [cat]);
    expect(cat.sha256s.some((s) => c.get(s) !== a.get(s))).toBe(true);
  });

  it("keeps most images in place when a class grows", () => {
    const old = shas("grow", 200);
    const grown = [...old, ...shas("grow-new", 20)];
    const a = assignSplits(fractions, 5, [{ classIndex: 0, sha256s: old }]);
    const b = assignSplits(fractions, 5, [{ classIndex: 0, sha256s: grown }]);
    const moved = old.filter((s) => a.get(s) !== b.get(s)).length;
    expect(moved).toBeLessThanOrEqual(10);
  });

  it("puts a near-duplicate group in one split, also across classes", () => {
    const c0 = shas("g0", 40);
    const c1 = shas("g1", 40);
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < 10; i++)
      pairs.push([c0[i] as string, c0[i + 10] as string], [c0[i] as string, c1[i] as string]);
    const groupOf = nearDuplicateGroups([...c0, ...c1], pairs);
    const splitOf = assignSplits(
      fractions,
      9,
      [
        { classIndex: 0, sha256s: c0 },
        { classIndex: 1, sha256s: c1 },
      ],
      groupOf,
    );
    for (const [a, b] of pairs) expect(splitOf.get(a)).toBe(splitOf.get(b));
    // counts stay within ±1 of the targets per split for the deciding class
    const counts = countSplits(splitOf, c0);
    const targets = splitTargets(fractions, 40);
    expect(Math.abs((counts.test ?? 0) - targets.test)).toBeLessThanOrEqual(1);
    expect(Math.abs((counts.val ?? 0) - targets.val)).toBeLessThanOrEqual(1);
  });

  it("assigns every image exactly one split", () => {
    const all = shas("all", 333);
    const splitOf = assignSplits({ mode: "counts", val: 7, test: 11 }, 1, [{ classIndex: 0, sha256s: all }]);
    expect(splitOf.size).toBe(333);
    expect(countSplits(splitOf, all)).toEqual({ train: 315, val: 7, test: 11 });
  });
});

describe("SplitAssigner", () => {
  it("gives class by class, with only the near-duplicates' groups, what assignSplits gives for all at once", () => {
    // Three classes; groups inside a class and across classes (the lower class index decides).
    const classes = [shas("s0", 120), shas("s1", 90), shas("s2", 75)];
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < 12; i++) {
      pairs.push([classes[0]?.[i] as string, classes[0]?.[i + 40] as string]);
      pairs.push([classes[0]?.[i + 60] as string, classes[1]?.[i] as string]);
      pairs.push([classes[1]?.[i + 30] as string, classes[2]?.[i] as string]);
    }
    const all = classes.flat();
    const input = classes.map((sha256s, classIndex) => ({ classIndex, sha256s }));
    for (const spec of [fractions, { mode: "counts", val: 9, test: 13 } as SplitSpec]) {
      const whole = assignSplits(spec, 17, input, nearDuplicateGroups(all, pairs));
      const members = [...new Set(pairs.flat())];
      const assigner = new SplitAssigner(spec, 17, nearDuplicateGroups(members, pairs));
      const streamed = new Map(classes.flatMap((c) => [...assigner.assignClass(c)]));
      expect(streamed).toEqual(whole);
      expect(whole.size).toBe(all.length);
    }
  });
});

describe("capByRank", () => {
  it("keeps the lowest-ranked images, independent of input order", () => {
    const all = shas("cap", 50);
    const a = capByRank(3, all, 10);
    const b = capByRank(3, [...all].reverse(), 10);
    expect(a).toEqual(b);
    expect(a).toHaveLength(10);
    expect(capByRank(3, all, undefined)).toHaveLength(50);
  });
});

describe("nearDuplicateGroups", () => {
  it("joins transitively and keys each group by its smallest sha256", () => {
    const [a, b, c, d] = ["d", "b", "c", "a"].map(sha) as [string, string, string, string];
    const groups = nearDuplicateGroups(
      [a, b, c, d],
      [
        [a, b],
        [b, c],
      ],
    );
    const min = [a, b, c].sort()[0];
    expect(groups.get(a)).toBe(min);
    expect(groups.get(c)).toBe(min);
    expect(groups.get(d)).toBe(d);
  });
});

describe("resolveClassConflicts", () => {
  const pairs = [
    { ancestor: "n02084071", descendant: "n02085620" },
    { ancestor: "n01317541", descendant: "n02084071" },
  ];
  const chosen = ["n02084071", "n02085620", "n02121808"];

  it("reports ancestor/descendant pairs among the chosen classes only", () => {
    const r = resolveClassConflicts(chosen, pairs, "report");
    expect(r.conflicts).toEqual([{ ancestor: "n02084071", descendant: "n02085620" }]);
    expect(r.classes).toEqual(chosen);
  });

  it("drops the side asked for", () => {
    expect(resolveClassConflicts(chosen, pairs, "drop-ancestors").classes).toEqual(["n02085620", "n02121808"]);
    expect(resolveClassConflicts(chosen, pairs, "drop-descendants").classes).toEqual(["n02084071", "n02121808"]);
  });
});

describe("diffVersions", () => {
  it("counts added, removed and moved images and classes", () => {
    const [s1, s2, s3, s4] = ["1", "2", "3", "4"].map(sha) as [string, string, string, string];
    const diff = diffVersions(
      {
        classes: ["n1", "n2"],
        items: [
          { sha256: s1, wnid: "n1", split: "train" },
          { sha256: s2, wnid: "n1", split: "test" },
          { sha256: s3, wnid: "n2", split: "val" },
        ],
      },
      {
        classes: ["n1", "n3"],
        items: [
          { sha256: s1, wnid: "n1", split: "train" },
          { sha256: s2, wnid: "n1", split: "val" },
          { sha256: s4, wnid: "n3", split: "train" },
        ],
      },
    );
    expect(diff).toMatchObject({
      classesAdded: ["n3"],
      classesRemoved: ["n2"],
      imagesAdded: 1,
      imagesRemoved: 1,
      unchanged: 1,
      movedTotal: 1,
    });
    expect(diff.moved[0]).toMatchObject({ sha256: s2, from: { split: "test" }, to: { split: "val" } });
  });
});

describe("dataset definition", () => {
  it("fills defaults and rejects fractions that do not sum to 1", () => {
    const d = datasetDefinitionSchema.parse({ name: "dogs", classes: { kind: "wnids", wnids: ["n02084071"] } });
    expect(d).toMatchObject({ links: "verified", conflicts: "report", seed: 0, splits: { mode: "fractions" } });
    expect(() =>
      datasetDefinitionSchema.parse({
        name: "x",
        classes: { kind: "ilsvrc2012" },
        splits: { mode: "fractions", train: 0.5, val: 0.1, test: 0.1 },
      }),
    ).toThrow(/sum to 1/);
    expect(() => datasetDefinitionSchema.parse({ name: "../etc", classes: { kind: "ilsvrc2012" } })).toThrow();
  });

  it("withholds no split's labels unless asked, and each split at most once", () => {
    const base = { name: "challenge", classes: { kind: "ilsvrc2012" } } as const;
    expect(datasetDefinitionSchema.parse(base).withholdLabels).toEqual([]);
    expect(datasetDefinitionSchema.parse({ ...base, withholdLabels: ["test", "val"] }).withholdLabels).toEqual([
      "test",
      "val",
    ]);
    expect(() => datasetDefinitionSchema.parse({ ...base, withholdLabels: ["test", "test"] })).toThrow(/once/);
    expect(() => datasetDefinitionSchema.parse({ ...base, withholdLabels: ["holdout"] })).toThrow();
  });

  it("ships the 1000 ILSVRC-2012 classes", () => {
    expect(ILSVRC2012_WNIDS).toHaveLength(1000);
    expect(new Set(ILSVRC2012_WNIDS).size).toBe(1000);
    expect(ILSVRC2012_WNIDS[0]).toBe("n01440764");
  });
});

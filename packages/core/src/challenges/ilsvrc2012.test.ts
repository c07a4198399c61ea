// The real ILSVRC-2012 devkit files (../shared/data/imagenet-meta, see its SOURCE.md), read where they lie.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type ChallengeClasses, parseClassList } from "./classes.ts";
import { ChallengeFileError } from "./errors.ts";
import { type ChallengeTruth, parseDevkitTruth } from "./ground-truth.ts";
import { buildScoringHierarchy, HierarchyCosts, parseIsAEdges, type ScoringHierarchy } from "./hierarchy.ts";
import { choosePublicImages } from "./public-split.ts";
import { scoreSubmission } from "./scoring.ts";
import { parseCsvSubmission, parseDevkitSubmission, parseJsonlSubmission } from "./submission.ts";

const META = fileURLToPath(new URL("../../../../../shared/data/imagenet-meta/", import.meta.url));
const FILES = ["map_clsloc.txt", "ILSVRC2012_validation_ground_truth.txt", "wordnet.is_a.txt"];
const missing = FILES.filter((f) => !existsSync(META + f));
const read = (name: string) => readFileSync(META + name, "utf8");

const title =
  missing.length === 0
    ? "ILSVRC-2012 validation ground truth"
    : `ILSVRC-2012 validation ground truth: SKIPPED, ${missing.map((f) => META + f).join(", ")} absent`;

describe.skipIf(missing.length > 0)(title, () => {
  let classes: ChallengeClasses;
  let truth: ChallengeTruth;
  let hierarchy: ScoringHierarchy;
  let costs: HierarchyCosts;
  const load = () => {
    if (truth) return;
    classes = parseClassList(read("map_clsloc.txt"));
    truth = parseDevkitTruth(read("ILSVRC2012_validation_ground_truth.txt"), classes);
    hierarchy = buildScoringHierarchy(parseIsAEdges(read("wordnet.is_a.txt")), classes);
    costs = new HierarchyCosts(hierarchy, classes);
  };
  const lines = (indices: (i: number) => string) => Array.from({ length: truth.size }, (_, i) => indices(i)).join("\n");

  it("imports 50,000 images of 1000 classes, 50 each, in ILSVRC2012_ID order", () => {
    load();
    expect(truth.size).toBe(50_000);
    expect(classes.size).toBe(1000);
    const perClass = new Int32Array(1000);
    for (const l of truth.labels) perClass[l] = (perClass[l] as number) + 1;
    expect(perClass.every((c) => c === 50)).toBe(true);
    expect(classes.wnids[truth.labels[0] as number]).toBe("n01751748"); // ILSVRC2012_val_00000001: sea snake
    expect(truth.labels[0]).toBe(489); // ILSVRC2012_ID 490
  });

  it("trims WordNet to the classes and their ancestors, under one root (entity), height 18", () => {
    load();
    expect(hierarchy.edges.length).toBeGreaterThan(1000);
    const children = new Set(hierarchy.edges.map(([, c]) => c));
    expect(new Set(hierarchy.edges.map(([p]) => p).filter((p) => !children.has(p)))).toEqual(new Set(["n00001740"]));
    expect(costs.maxHeight).toBe(18);
    const p = (w: string) => classes.positionOf(w);
    expect(costs.between(p("n02085620"), p("n02085620"))).toBe(0);
    // Chihuahua and Japanese spaniel meet at toy dog, above toy spaniel → English toy spaniel → Blenheim
    expect(costs.between(p("n02085620"), p("n02085782"))).toBe(3);
  });

  it("agrees with a brute-force LCA (all common ancestors, least height) on 3000 pairs", () => {
    load();
    const kids = new Map<string, string[]>();
    const parents = new Map<string, string[]>();
    for (const [pa, c] of hierarchy.edges) {
      kids.set(pa, [...(kids.get(pa) ?? []), c]);
      parents.set(c, [...(parents.get(c) ?? []), pa]);
    }
    const heights = new Map<string, number>();
    const height = (w: string): number => {
      if (!heights.has(w)) heights.set(w, Math.max(-1, ...(kids.get(w) ?? []).map(height)) + 1);
      return heights.get(w) as number;
    };
    const ancestors = (w: string): Set<string> =>
      new Set([w, ...(parents.get(w) ?? []).flatMap((x) => [...ancestors(x)])]);
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % 1000;
    };
    for (let n = 0; n < 3000; n++) {
      const a = next();
      const b = next();
      const up = ancestors(classes.wnids[b] as string);
      const common = [...ancestors(classes.wnids[a] as string)].filter((w) => up.has(w));
      const expected = a === b ? 0 : Math.min(...common.map(height));
      expect(costs.between(a, b)).toBe(expected);
    }
  });

  it("scores a perfect submission 0 in every format", () => {
    load();
    const devkit = parseDevkitSubmission(
      lines((i) => String((truth.labels[i] as number) + 1)),
      truth,
    );
    const csv = parseCsvSubmission(
      `image_id,predictions\n${lines((i) => `${i + 1},${classes.wnids[truth.labels[i] as number]}`)}`,
      truth,
    );
    const jsonl = parseJsonlSubmission(
      lines((i) => JSON.stringify({ imageId: String(i + 1), wnids: [classes.wnids[truth.labels[i] as number]] })),
      truth,
    );
    for (const s of [devkit, csv, jsonl]) {
      expect(scoreSubmission(truth, s, { hierarchy: costs })).toMatchObject({
        images: 50_000,
        predicted: 50_000,
        top1: 0,
        top5: 0,
        hier2010: 0,
        hier2011: 0,
        warnings: [],
      });
    }
    const split = scoreSubmission(truth, devkit, { publicMask: choosePublicImages(truth.imageIds, "ilsvrc2012") });
    expect(split.public?.images).toBe(15_000);
    expect(split.private?.images).toBe(35_000);
  });

  it("catches a perfect submission written in sorted-wnid order", () => {
    load();
    const sorted = [...classes.wnids].sort();
    const sortedIndex = (i: number) => sorted.indexOf(classes.wnids[truth.labels[i] as number] as string);
    // 1-based sorted order: every index is valid, so only the scores and the warning can tell
    const fromOne = parseDevkitSubmission(
      lines((i) => String(sortedIndex(i) + 1)),
      truth,
    );
    const report = scoreSubmission(truth, fromOne, { hierarchy: costs });
    expect(report.top1).toBeGreaterThan(0.99);
    expect(report.hier2011).toBeGreaterThan(0.5);
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toMatch(
      /sorted-wnid numbering: top-5 error (0\.99\d\d|1\.0000) as the challenge's class list, 0\.0000 if read in sorted-wnid order counted from 1/,
    );
    // 0-based, as frameworks write it: the 0s are refused with a hint
    try {
      parseDevkitSubmission(
        lines((i) => String(sortedIndex(i))),
        truth,
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ChallengeFileError);
      const first = (error as ChallengeFileError).problems[0];
      expect(first?.line).toBe(truth.labels.indexOf(classes.positionOf("n01440764")) + 1); // the first tench image
      expect(first?.expected).toMatch(/0-based, sorted-wnid numbering/);
      expect((error as ChallengeFileError).problemCount).toBe(50);
    }
  });
});

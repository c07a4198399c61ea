/**
 * Scoring benchmark: an ILSVRC-format ground truth and submission of 100,000 images, 1000 classes, 5 guesses a
 * line, scored with @arbor/core (read + parse + top-1/top-5/both hierarchical errors), against merely reading
 * the same file and splitting it into lines and tokens in the same process.
 *   npm run bench:scoring
 * The hierarchy is the real ILSVRC-2012 one (map_clsloc.txt + wordnet.is_a.txt of ../shared/data) when present,
 * else a synthetic DAG. Its preparation (the class × class LCA table) and the ground truth's parsing are done
 * once per challenge phase and are reported apart. Figures are medians of 9 alternating runs after warm-up.
 * Ratio here = scoring time / read-and-split time (target ≤ 2×). The last line is JSON.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  buildScoringHierarchy,
  ChallengeClasses,
  type ChallengeIsAEdge,
  HierarchyCosts,
  mulberry32,
  parseClassList,
  parseCsvSubmission,
  parseDevkitSubmission,
  parseDevkitTruth,
  parseIsAEdges,
  scoreSubmission,
} from "@arbor/core";

const IMAGES = 100_000;
const GUESSES = 5;
const RUNS = 9;
const TARGET = 2;
const META = fileURLToPath(new URL("../../../shared/data/imagenet-meta/", import.meta.url));

const rng = mulberry32(2012);
const { classes, edges, source } = loadClasses();
const K = classes.size;

// The files: truth line i = class index of image i; the submission has 5 distinct guesses per line, the truth
// among them for ~80 % of the images (first for ~60 %), like a decent model.
const truthLabels = Array.from({ length: IMAGES }, () => 1 + Math.floor(rng() * K));
const lines: string[] = [];
const csvLines: string[] = ["image_id,predictions"];
for (let i = 0; i < IMAGES; i++) {
  const truth = truthLabels[i] as number;
  const guesses = new Set<number>();
  const r = rng();
  if (r < 0.6) guesses.add(truth);
  while (guesses.size < GUESSES) guesses.add(1 + Math.floor(rng() * K));
  const list = [...guesses];
  if (r >= 0.6 && r < 0.8 && !guesses.has(truth)) list[1 + Math.floor(rng() * (GUESSES - 1))] = truth;
  lines.push(list.join(" "));
  csvLines.push(`${i + 1},${list.map((g) => classes.wnids[g - 1]).join(" ")}`);
}
const dir = mkdtempSync(path.join(tmpdir(), "arbor-bench-scoring-"));
const truthFile = path.join(dir, "truth.txt");
const submissionFile = path.join(dir, "submission.txt");
const csvFile = path.join(dir, "submission.csv");
writeFileSync(truthFile, `${truthLabels.join("\n")}\n`);
writeFileSync(submissionFile, `${lines.join("\n")}\n`);
writeFileSync(csvFile, `${csvLines.join("\n")}\n`);

try {
  // Once per phase: the ground truth and the hierarchy's cost table.
  const setupTruth = time(() => parseDevkitTruth(readFileSync(truthFile, "utf8"), classes));
  const truth = setupTruth.result;
  const setupHierarchy = time(() => new HierarchyCosts(buildScoringHierarchy(edges, classes), classes));
  const costs = setupHierarchy.result;

  /** The floor: read the file, split it into lines and each line into tokens, touch each token. */
  const readAndSplit = (file: string, separator: string) => () => {
    let tokens = 0;
    for (const line of readFileSync(file, "utf8").split("\n")) tokens += line.split(separator).length;
    return tokens;
  };
  const scoreDevkit = () =>
    scoreSubmission(truth, parseDevkitSubmission(readFileSync(submissionFile, "utf8"), truth), { hierarchy: costs });
  const scoreCsv = () =>
    scoreSubmission(truth, parseCsvSubmission(readFileSync(csvFile, "utf8"), truth), { hierarchy: costs });

  const devkit = compare(readAndSplit(submissionFile, " "), scoreDevkit);
  const csv = compare(readAndSplit(csvFile, ","), scoreCsv);
  const report = scoreDevkit();
  const endToEnd = time(() => {
    const t = parseDevkitTruth(readFileSync(truthFile, "utf8"), classes);
    const c = new HierarchyCosts(buildScoringHierarchy(edges, classes), classes);
    return scoreSubmission(t, parseDevkitSubmission(readFileSync(submissionFile, "utf8"), t), { hierarchy: c });
  });

  const ms = (s: number) => `${(s * 1000).toFixed(1)} ms`;
  console.log(`# ${IMAGES.toLocaleString("en")} images, ${K} classes, ${GUESSES} guesses a line; hierarchy: ${source}`);
  console.log(
    `submission file ${(readFileSync(submissionFile).length / 1e6).toFixed(2)} MB (devkit), ${(readFileSync(csvFile).length / 1e6).toFixed(2)} MB (CSV with wnids)`,
  );
  console.log(
    `once per phase: ground truth ${ms(setupTruth.seconds)}, hierarchy ${costs.maxHeight} high → ${K}×${K} LCA table ${ms(setupHierarchy.seconds)}`,
  );
  console.log(
    `devkit: read + parse + score ${ms(devkit.measured)}  baseline (read + split) ${ms(devkit.baseline)}  ratio ${(devkit.measured / devkit.baseline).toFixed(2)}× (target ≤ ${TARGET}×)`,
  );
  console.log(
    `csv:    read + parse + score ${ms(csv.measured)}  baseline (read + split) ${ms(csv.baseline)}  ratio ${(csv.measured / csv.baseline).toFixed(2)}× (for information)`,
  );
  console.log(`end to end, one cold pass (truth + hierarchy + submission): ${ms(endToEnd.seconds)}`);
  console.log(
    `scores: top-1 ${report.top1.toFixed(4)}  top-5 ${report.top5.toFixed(4)}  hier2010 ${report.hier2010?.toFixed(4)}  hier2011 ${report.hier2011?.toFixed(4)}`,
  );
  const ratio = devkit.measured / devkit.baseline;
  console.log(
    JSON.stringify({
      bench: "scoring",
      images: IMAGES,
      classes: K,
      guesses: GUESSES,
      hierarchy: source,
      scoreMs: round(devkit.measured * 1000),
      readSplitMs: round(devkit.baseline * 1000),
      ratio: round(ratio),
      target: TARGET,
      met: ratio <= TARGET,
      csvScoreMs: round(csv.measured * 1000),
      csvReadSplitMs: round(csv.baseline * 1000),
      csvRatio: round(csv.measured / csv.baseline),
      truthParseMs: round(setupTruth.seconds * 1000),
      hierarchyMs: round(setupHierarchy.seconds * 1000),
      endToEndMs: round(endToEnd.seconds * 1000),
      top1: round(report.top1, 4),
      top5: round(report.top5, 4),
      hier2010: report.hier2010 === null ? null : round(report.hier2010, 4),
      hier2011: report.hier2011 === null ? null : round(report.hier2011, 4),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function loadClasses(): { classes: ChallengeClasses; edges: ChallengeIsAEdge[]; source: string } {
  const map = path.join(META, "map_clsloc.txt");
  const isA = path.join(META, "wordnet.is_a.txt");
  if (existsSync(map) && existsSync(isA)) {
    return {
      classes: parseClassList(readFileSync(map, "utf8")),
      edges: parseIsAEdges(readFileSync(isA, "utf8")),
      source: "ILSVRC-2012 (map_clsloc.txt, wordnet.is_a.txt)",
    };
  }
  // Synthetic: 1000 leaves under a 10 × 10 × 10 tree of inner synsets, plus a second parent for every 7th leaf.
  const wnid = (n: number) => `n${String(n).padStart(8, "0")}`;
  const leaves = Array.from({ length: 1000 }, (_, i) => wnid(10_000 + i));
  const synthetic: ChallengeIsAEdge[] = [];
  for (let a = 0; a < 10; a++) {
    synthetic.push({ parent: wnid(1), child: wnid(100 + a) });
    for (let b = 0; b < 10; b++) {
      synthetic.push({ parent: wnid(100 + a), child: wnid(1000 + a * 10 + b) });
      for (let c = 0; c < 10; c++)
        synthetic.push({ parent: wnid(1000 + a * 10 + b), child: leaves[a * 100 + b * 10 + c] as string });
    }
  }
  for (let i = 0; i < 1000; i += 7)
    synthetic.push({ parent: wnid(1000 + ((i * 3) % 100)), child: leaves[i] as string });
  return {
    classes: new ChallengeClasses(leaves.reverse()),
    edges: synthetic,
    source: "synthetic (../shared/data absent)",
  };
}

function time<T>(work: () => T): { seconds: number; result: T } {
  const started = performance.now();
  const result = work();
  return { seconds: (performance.now() - started) / 1000, result };
}

/** Medians of alternating runs after two warm-ups of each, so both see the same machine load. */
function compare(baseline: () => unknown, measured: () => unknown): { baseline: number; measured: number } {
  for (let i = 0; i < 2; i++) {
    baseline();
    measured();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    a.push(time(baseline).seconds);
    b.push(time(measured).seconds);
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
  return { baseline: median(a), measured: median(b) };
}

function round(x: number, digits = 2): number {
  return Number(x.toFixed(digits));
}

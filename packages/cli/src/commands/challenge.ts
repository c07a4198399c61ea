import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  buildScoringHierarchy,
  type ChallengeClasses,
  type ChallengeIsAEdge,
  type ChallengeScoreReport,
  classBreakdown,
  detectSubmissionFormat,
  detectTruthFormat,
  edgesFromHierarchySynsets,
  HierarchyCosts,
  hierarchyFileSchema,
  normalizedSubmissionSha256,
  parseClassList,
  parseIsAEdges,
  parseSubmission,
  parseTruth,
  type ScoringHierarchy,
  SUBMISSION_FORMATS,
  type SubmissionFormat,
  scoreSubmission,
  scoringHierarchySchema,
  type TruthFormat,
} from "@arbor/core";
import { type AddPhaseInput, addPhase, type CreateChallengeInput, createChallenge, OPERATOR } from "@arbor/usecases";
import type { Command } from "commander";
import { withServices } from "../services.ts";
import {
  type ClientOutput,
  downloadTestImages,
  type SubmitFlags,
  submitToServer,
  type TestImagesFlags,
} from "./challenge-client.ts";

export interface ChallengeScoreFlags {
  truth: string;
  classes?: string;
  hierarchy?: string;
  format?: string;
  truthFormat?: string;
  details?: boolean;
}

/** The last line `arbor challenge score` prints (hier fields null without --hierarchy). */
export interface ChallengeScoreLine {
  top1: number;
  top5: number;
  hier2010: number | null;
  hier2011: number | null;
  images: number;
}

export interface ChallengeScoreOutput {
  /** Lines for stdout; the last is the JSON of `scores`. */
  lines: string[];
  /** Lines for stderr. */
  warnings: string[];
  scores: ChallengeScoreLine;
  report: ChallengeScoreReport;
}

/**
 * Scores a submission file against a ground-truth file with @arbor/core's parsers and scorer, the functions
 * the server uses, so a participant gets the same numbers offline. No database, no services. A file that
 * cannot be read as its format throws an Error whose message is the parser's (file name, line, expected,
 * found).
 */
export async function scoreChallengeFiles(
  submissionPath: string,
  flags: ChallengeScoreFlags,
): Promise<ChallengeScoreOutput> {
  const classes = flags.classes ? await parseFile(flags.classes, parseClassList) : undefined;
  const truthText = await readText(flags.truth, "--truth");
  const truthFormat = (flags.truthFormat ?? detectTruthFormat(truthText)) as TruthFormat | null;
  if (truthFormat !== "devkit" && truthFormat !== "csv")
    throw new Error(`${flags.truth}: cannot tell the ground truth's format; pass --truth-format devkit|csv`);
  if (truthFormat === "devkit" && !classes)
    throw new Error(
      `${flags.truth}: a devkit ground truth needs --classes (the class list, "wnid index name" lines as in map_clsloc.txt)`,
    );
  const truth = withFile(flags.truth, () => parseTruth(truthText, truthFormat, classes));

  let costs: HierarchyCosts | null = null;
  let hierarchyLine = "hierarchy: none (pass --hierarchy wordnet.is_a.txt for the hierarchical errors; they are null)";
  if (flags.hierarchy) {
    const file = flags.hierarchy;
    const text = await readText(file, "--hierarchy");
    const stored = withFile(file, () => readHierarchy(text, truth.classes));
    costs = withFile(file, () => new HierarchyCosts(stored, truth.classes));
    hierarchyLine = `hierarchy: ${path.basename(file)} (${stored.edges.length} edges among the classes and their ancestors, ${costs.fingerprint}, root height ${costs.maxHeight})`;
  }

  const text = await readText(submissionPath, "submission");
  const format = (flags.format ?? detectSubmissionFormat(text)) as SubmissionFormat | null;
  if (!format || !SUBMISSION_FORMATS.includes(format))
    throw new Error(
      flags.format
        ? `--format must be one of ${SUBMISSION_FORMATS.join(", ")}, not ${flags.format}`
        : `${submissionPath}: cannot tell the submission's format; pass --format ${SUBMISSION_FORMATS.join("|")}`,
    );
  const submission = withFile(submissionPath, () => parseSubmission(text, truth, format));
  const report = scoreSubmission(truth, submission, { hierarchy: costs });
  const scores: ChallengeScoreLine = {
    top1: report.top1,
    top5: report.top5,
    hier2010: report.hier2010,
    hier2011: report.hier2011,
    images: report.images,
  };
  const f = (x: number | null) => (x === null ? "null" : x.toFixed(4));
  const lines = [
    `ground truth: ${path.basename(flags.truth)} (${truthFormat}, ${truth.size} images, ${truth.classes.size} classes${truth.classes.published ? "" : ", class list taken from the ground truth"})`,
    hierarchyLine,
    `submission: ${path.basename(submissionPath)} (${format}, sha256 ${normalizedSubmissionSha256(text)} normalised), ${report.predicted} of ${report.images} images predicted`,
    `top-1 error ${f(report.top1)}  top-5 error ${f(report.top5)}  hierarchical (ILSVRC 2010) ${f(report.hier2010)}  (ILSVRC 2011, normalised) ${f(report.hier2011)}`,
  ];
  if (flags.details) lines.push(...details(truth.classes, classBreakdown(truth, submission, { topConfusions: 10 })));
  lines.push(JSON.stringify(scores));
  return { lines, warnings: report.warnings.map((w) => `warning: ${w}`), scores, report };
}

export interface ChallengeCreateFlags {
  title: string;
  descriptionFile?: string;
  teamSize?: string;
}

/** The input of `createChallenge` from `arbor challenge create`'s flags (reads --description-file). */
export async function challengeCreateInput(flags: ChallengeCreateFlags): Promise<CreateChallengeInput> {
  const input: CreateChallengeInput = { title: flags.title };
  if (flags.descriptionFile !== undefined)
    input.description = await readText(flags.descriptionFile, "--description-file");
  if (flags.teamSize !== undefined) input.teamSizeLimit = wholeNumber(flags.teamSize, "--team-size");
  return input;
}

export interface PhaseAddFlags {
  name: string;
  starts: string;
  ends: string;
  version?: string;
  split?: string;
  truth?: string;
  classes?: string;
  truthFormat?: string;
  hierarchy?: string;
  daily?: string;
  total?: string;
}

/**
 * The input of `addPhase` from `arbor challenge phase add`'s flags: the ground truth is a dataset version's
 * split (--version, --split) or a file (--truth, its format guessed unless --truth-format), never both; the
 * files are read here. Invalid flags throw an Error saying which.
 */
export async function phaseAddInput(challengeId: string, flags: PhaseAddFlags): Promise<AddPhaseInput> {
  if ((flags.version === undefined) === (flags.truth === undefined))
    throw new Error("give the ground truth as either --version <id> --split test or --truth <file>, not both");
  const classList = flags.classes === undefined ? undefined : await readText(flags.classes, "--classes");
  let truth: AddPhaseInput["truth"];
  if (flags.version !== undefined) {
    if (flags.truthFormat !== undefined) throw new Error("--truth-format goes with --truth, not --version");
    if (flags.split !== "train" && flags.split !== "val" && flags.split !== "test")
      throw new Error(
        flags.split === undefined
          ? "--version needs --split (train | val | test)"
          : `--split must be train, val or test, not ${flags.split}`,
      );
    truth = { kind: "version", versionId: wholeNumber(flags.version, "--version"), split: flags.split, classList };
  } else {
    if (flags.split !== undefined) throw new Error("--split goes with --version, not --truth");
    const file = flags.truth as string;
    const text = await readText(file, "--truth");
    const format = flags.truthFormat ?? detectTruthFormat(text);
    if (format !== "devkit" && format !== "csv")
      throw new Error(
        flags.truthFormat === undefined
          ? `${file}: cannot tell the ground truth's format; pass --truth-format devkit|csv`
          : `--truth-format must be devkit or csv, not ${flags.truthFormat}`,
      );
    if (format === "devkit" && classList === undefined)
      throw new Error(`${file}: a devkit ground truth needs --classes (map_clsloc.txt)`);
    truth = { kind: "upload", text, format, classList };
  }
  const input: AddPhaseInput = {
    challengeId: wholeNumber(challengeId, "the challenge id"),
    name: flags.name,
    startsAt: isoDate(flags.starts, "--starts"),
    endsAt: isoDate(flags.ends, "--ends"),
    truth,
  };
  if (flags.hierarchy !== undefined) input.isA = await readText(flags.hierarchy, "--hierarchy");
  if (flags.daily !== undefined) input.dailyQuota = wholeNumber(flags.daily, "--daily");
  if (flags.total !== undefined) input.totalQuota = wholeNumber(flags.total, "--total");
  return input;
}

export function registerChallengeCommands(program: Command): void {
  const challenge = program.command("challenge").description("ILSVRC-style challenges");
  challenge
    .command("score")
    .description(
      "score a submission against a ground truth on this machine, exactly as the server does (no database); " +
        "the last line is JSON {top1, top5, hier2010, hier2011, images}",
    )
    .argument("<submission>", "the submission file (devkit, CSV or JSONL)")
    .requiredOption("--truth <file>", "ground truth: devkit (one class index per line) or CSV image_id,wnid")
    .option("--classes <file>", "class list, `wnid index name` lines (map_clsloc.txt); needed by a devkit ground truth")
    .option(
      "--hierarchy <file>",
      "is-a edges `parent child` (wordnet.is_a.txt), or an export's hierarchy.json; without it hier2010/hier2011 are null",
    )
    .option(
      "--format <format>",
      `submission format: ${SUBMISSION_FORMATS.join(" | ")} (default: guessed from the content)`,
    )
    .option("--truth-format <format>", "ground-truth format: devkit | csv (default: guessed)")
    .option("--details", "also print per-class errors (worst first) and the most confused pairs")
    .action(async (submission: string, flags: ChallengeScoreFlags) => {
      const out = await scoreChallengeFiles(submission, flags);
      for (const w of out.warnings) console.error(w);
      for (const line of out.lines) console.log(line);
    });
  challenge
    .command("create")
    .description("create a challenge (owned by the operator); prints its id")
    .requiredOption("--title <title>", "the challenge's title")
    .option("--description-file <file>", "its description and rules (Markdown), which participants accept")
    .option("--team-size <n>", "most members per team (default 1)")
    .option("--json", "print the result as JSON")
    .action(async (flags: ChallengeCreateFlags & { json?: boolean }) => {
      const input = await challengeCreateInput(flags);
      const created = await withServices(({ db }) => createChallenge(db, input, OPERATOR));
      console.log(flags.json ? JSON.stringify(created) : String(created.id));
    });
  challenge
    .command("submit")
    .description(
      "submit a predictions file to a phase on an Arbor server and wait for its score; the last line is JSON " +
        '{"id", "status", "public": {top1, top5, hier2010, hier2011}}',
    )
    .argument("<file>", "the submission file (devkit, CSV or JSONL)")
    .requiredOption("--phase <id>", "the phase's id (on its page)")
    .option("--server <url>", "the Arbor server (default: ARBOR_SERVER)")
    .option("--token <token>", "your API token, from your account page (default: ARBOR_TOKEN)")
    .option("--format <format>", `${SUBMISSION_FORMATS.join(" | ")} (default: guessed from the content)`)
    .option("--timeout <seconds>", "how long to wait for the score (default 600)")
    .action(async (file: string, flags: SubmitFlags) => print(await submitToServer(file, flags)));
  challenge
    .command("test-images")
    .description("download a phase's test images (a tar of test-images.csv and images/) into a folder")
    .requiredOption("--phase <id>", "the phase's id")
    .requiredOption("--out <dir>", "the folder to save phase-<id>-test-images.tar in")
    .option("--server <url>", "the Arbor server (default: ARBOR_SERVER)")
    .option("--token <token>", "your API token, from your account page (default: ARBOR_TOKEN)")
    .action(async (flags: TestImagesFlags) => print(await downloadTestImages(flags)));
  const phase = challenge.command("phase").description("a challenge's phases");
  phase
    .command("add")
    .description("add a phase with its ground truth: a dataset version's split (--version --split) or a file (--truth)")
    .argument("<challengeId>", "the challenge's id")
    .requiredOption("--name <name>", "the phase's name (e.g. dev, test)")
    .requiredOption("--starts <iso>", "when submissions open (ISO 8601)")
    .requiredOption("--ends <iso>", "when they close (ISO 8601)")
    .option("--version <id>", "ground truth from this dataset version's split (its labels become restricted)")
    .option("--split <split>", "with --version: train | val | test")
    .option("--truth <file>", "ground truth file: devkit (one class index per line) or CSV image_id,wnid")
    .option("--classes <file>", "class list, `wnid index name` lines (map_clsloc.txt); needed by a devkit truth")
    .option("--truth-format <format>", "ground-truth format: devkit | csv (default: guessed)")
    .option("--hierarchy <file>", "is-a edges `parent child` (wordnet.is_a.txt) for the hierarchical scores")
    .option("--daily <n>", "accepted submissions per team per UTC day (default 5)")
    .option("--total <n>", "accepted submissions per team in all (default 100)")
    .option("--json", "print the result as JSON")
    .action(async (challengeId: string, flags: PhaseAddFlags & { json?: boolean }) => {
      const input = await phaseAddInput(challengeId, flags);
      const added = await withServices(({ db }) => addPhase(db, input, OPERATOR));
      if (flags.json) return console.log(JSON.stringify(added));
      console.log(
        `phase #${added.id}: ${added.images} test images, ${added.classes} classes, ` +
          `hierarchy ${added.hierarchyFingerprint ?? "none"}, ${added.restrictedImages} images newly restricted`,
      );
    });
}

/** A client command's output: stderr's lines, stdout's (JSON last), and its exit status. */
function print(out: ClientOutput): void {
  for (const line of out.stderr) console.error(line);
  for (const line of out.stdout) console.log(line);
  process.exitCode = out.exitCode;
}

function readHierarchy(text: string, classes: ChallengeClasses): ScoringHierarchy {
  let edges: ChallengeIsAEdge[];
  if (text.trimStart().startsWith("{")) {
    const json: unknown = JSON.parse(text);
    const stored = scoringHierarchySchema.safeParse(json);
    const exported = hierarchyFileSchema.safeParse(json);
    if (stored.success) edges = stored.data.edges.map(([parent, child]) => ({ parent, child }));
    else if (exported.success) edges = edgesFromHierarchySynsets(exported.data.synsets);
    else
      throw new Error(
        'expected `parent child` lines, a stored scoring hierarchy {"edges": [[parent, child], …]} or an export\'s hierarchy.json {"synsets": […]}',
      );
  } else edges = parseIsAEdges(text);
  return buildScoringHierarchy(edges, classes);
}

function details(classes: ChallengeClasses, breakdown: ReturnType<typeof classBreakdown>): string[] {
  const worst = [...breakdown.perClass].sort((a, b) => b.top5 - a.top5 || b.top1 - a.top1 || a.index - b.index);
  const label = (wnid: string) => {
    const name = classes.names[classes.positionOf(wnid)];
    return name ? `${wnid} ${name}` : wnid;
  };
  return [
    "classes with the highest top-5 error (index wnid name: top-1 top-5, images):",
    ...worst
      .slice(0, 10)
      .map((c) => `  ${c.index} ${label(c.wnid)}: ${c.top1.toFixed(3)} ${c.top5.toFixed(3)}, ${c.images}`),
    "most confused pairs (true → first guess: images):",
    ...breakdown.confusions.map((c) => `  ${label(c.truth)} → ${label(c.predicted)}: ${c.count}`),
  ];
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new Error(`cannot read the ${what} file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

function wholeNumber(value: string, what: string): number {
  if (!/^\d+$/.test(value.trim())) throw new Error(`${what} must be a whole number, not ${JSON.stringify(value)}`);
  return Number(value);
}

function isoDate(value: string, what: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new Error(`${what} must be an ISO 8601 date or time (2025-01-31T12:00Z), not ${JSON.stringify(value)}`);
  return date;
}

async function parseFile<T>(file: string, parse: (text: string) => T): Promise<T> {
  const text = await readText(file, "--classes");
  return withFile(file, () => parse(text));
}

/** Runs a parser, prefixing its error with the file's name (the message stays the parser's own). */
function withFile<T>(file: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof Error) throw new Error(`${file}: ${error.message}`, { cause: error });
    throw error;
  }
}

import { createHash } from "node:crypto";
import type { ChallengeTruth } from "./ground-truth.ts";
import { isHeaderField, ProblemList, quoteFound, splitCsvLine, splitLines, WNID_RE } from "./internal.ts";

/** At most this many guesses per image (ILSVRC's top-5). */
export const MAX_GUESSES = 5;

export type SubmissionFormat = "devkit" | "csv" | "jsonl";
export const SUBMISSION_FORMATS: readonly SubmissionFormat[] = ["devkit", "csv", "jsonl"];

/**
 * A parsed submission, aligned with its ground truth: `guesses[i * MAX_GUESSES + j]` is the class position
 * (0-based, in the truth's class list) of guess j for test image i, best first, or -1 after the last guess.
 * An image without a line has no guesses at all; it is scored as wrong (not an error).
 */
export interface ChallengeSubmission {
  format: SubmissionFormat;
  /** Test images of the ground truth (the length of `guesses` / MAX_GUESSES). */
  images: number;
  guesses: Int32Array;
  /** Images the file gave guesses for. */
  predicted: number;
  /** Every guess was a class index (devkit, or CSV with numbers), whose meaning depends on the class order. */
  byIndex: boolean;
}

/**
 * The ILSVRC devkit format: line i holds the guesses for test image i of the ground truth (its published
 * order), up to 5 class indices 1..K of the published class list, separated by spaces or tabs, best first.
 * Fewer lines than images: the rest are missing (scored wrong). An empty line before the last guess line
 * is an error (it would shift every later image); blank lines at the end of the file are ignored.
 *
 * A hand-written scanner (no split, no regex): this is the format the benchmark times.
 */
export function parseDevkitSubmission(text: string, truth: ChallengeTruth): ChallengeSubmission {
  const problems = new ProblemList("submission", "devkit");
  const k = truth.classes.size;
  const n = truth.size;
  if (!truth.classes.published) {
    problems.fail(
      null,
      "a ground truth with a published class list (devkit indices mean its order)",
      "a CSV ground truth without --classes",
    );
  }
  const expected = `up to ${MAX_GUESSES} class indices 1..${k} separated by spaces`;
  const guesses = new Int32Array(n * MAX_GUESSES).fill(-1);
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let end = text.length;
  while (end > i && isBlank(text.charCodeAt(end - 1))) end--;
  let image = 0;
  while (i < end) {
    const lineStart = i;
    const base = image * MAX_GUESSES;
    const store = image < n;
    let count = 0;
    let value = 0;
    let inToken = false;
    let tokenStart = 0;
    let badChar = false;
    let badToken = -1; // start of the first out-of-range token
    let badTokenEnd = -1;
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        if (!inToken) {
          inToken = true;
          tokenStart = i;
          value = 0;
        }
        if (value <= 0x3fffffff) value = value * 10 + (c - 48);
        continue;
      }
      if (c === 10) break;
      if (inToken) {
        inToken = false;
        if (value >= 1 && value <= k) {
          if (count < MAX_GUESSES && store) guesses[base + count] = value - 1;
        } else if (badToken < 0) {
          badToken = tokenStart;
          badTokenEnd = i;
        }
        count++;
      }
      if (c !== 32 && c !== 9 && c !== 13) badChar = true;
    }
    if (inToken) {
      if (value >= 1 && value <= k) {
        if (count < MAX_GUESSES && store) guesses[base + count] = value - 1;
      } else if (badToken < 0) {
        badToken = tokenStart;
        badTokenEnd = i;
      }
      count++;
    }
    const lineEnd = i;
    i++; // past the newline
    image++;
    if (badChar || count === 0 || count > MAX_GUESSES || badToken >= 0) {
      const line = text.slice(lineStart, lineEnd).replace(/\r$/, "");
      if (badChar) problems.add(image, expected, quoteFound(line));
      else if (count === 0)
        problems.add(image, `${expected} (an empty line would shift every later image)`, quoteFound(line));
      else if (count > MAX_GUESSES) problems.add(image, expected, `${count} guesses: ${quoteFound(line)}`);
      else
        problems.add(
          image,
          indexExpectation(k, text.slice(badToken, badTokenEnd)),
          `${text.slice(badToken, badTokenEnd)} in ${quoteFound(line)}`,
        );
    }
  }
  if (image > n) problems.add(n + 1, `at most ${n} lines (one per test image)`, `${image} lines`);
  problems.check();
  return { format: "devkit", images: n, guesses, predicted: Math.min(image, n), byIndex: true };
}

/**
 * CSV, `image_id,predictions` per line: up to 5 guesses separated by spaces (Kaggle's PredictionString
 * style), each a wnid or a class index 1..K of the published class list, best first. Fields are trimmed and
 * may be double-quoted. The header is optional: a first line whose second field is non-empty and has no digit
 * (`image_id,predictions`, `ImageId,PredictionString`) is a header. Blank lines are ignored.
 */
export function parseCsvSubmission(text: string, truth: ChallengeTruth): ChallengeSubmission {
  const problems = new ProblemList("submission", "csv image_id,predictions");
  const parser = new GuessWriter(truth, problems, "csv");
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    if (raw.trim() === "") continue;
    const fields = splitCsvLine(raw);
    if (i === 0 && fields.length === 2 && isHeaderField(fields[1] as string)) continue;
    if (fields.length !== 2 || fields[0] === "") {
      problems.add(i + 1, '"image_id,predictions" (two fields; predictions separated by spaces)', quoteFound(raw));
      continue;
    }
    const predictions = fields[1] as string;
    const tokens = predictions === "" ? [] : predictions.split(/[ \t]+/);
    parser.write(i + 1, fields[0] as string, tokens, raw);
  }
  problems.check();
  return parser.result();
}

/**
 * JSON lines, one object per test image: `{"imageId": "…", "wnids": ["n…", …]}` (up to 5 wnids, best
 * first; other keys are ignored). Also read: the lines `arbor-train predict` writes,
 * `{"sha256": "…", "path": "…", "predictions": [{"wnid": "n…", "score": 0.9}, …]}`, whose image id is the
 * `sha256` (how an Arbor export names its images) and whose guesses are taken by decreasing score; run it
 * with `--top-k 5` or less. Blank lines are ignored.
 */
export function parseJsonlSubmission(text: string, truth: ChallengeTruth): ChallengeSubmission {
  const problems = new ProblemList("submission", "jsonl");
  const parser = new GuessWriter(truth, problems, "jsonl");
  const lines = splitLines(text);
  const shape =
    '{"imageId": "…", "wnids": ["n…", …]} (or arbor-train\'s {"sha256", "predictions": [{"wnid", "score"}]})';
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    if (raw.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      problems.add(i + 1, `a JSON object ${shape}`, quoteFound(raw));
      continue;
    }
    const line = value as Record<string, unknown>;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      problems.add(i + 1, `a JSON object ${shape}`, quoteFound(raw));
    } else if ("imageId" in line) {
      const { imageId, wnids } = line;
      if (typeof imageId !== "string" || imageId === "")
        problems.add(i + 1, '"imageId" a non-empty string', quoteFound(JSON.stringify(imageId)));
      else if (!Array.isArray(wnids) || !wnids.every((w) => typeof w === "string"))
        problems.add(i + 1, '"wnids" an array of wnid strings', quoteFound(JSON.stringify(wnids) ?? "nothing"));
      else parser.write(i + 1, imageId, wnids as string[], raw);
    } else if ("sha256" in line && "predictions" in line) {
      const { sha256, predictions } = line;
      const ok =
        Array.isArray(predictions) &&
        predictions.every(
          (p) => typeof p === "object" && p !== null && typeof (p as { wnid?: unknown }).wnid === "string",
        );
      if (typeof sha256 !== "string" || sha256 === "")
        problems.add(i + 1, '"sha256" a non-empty string', quoteFound(JSON.stringify(sha256)));
      else if (!ok)
        problems.add(i + 1, '"predictions" an array of {"wnid", "score"}', quoteFound(JSON.stringify(predictions)));
      else {
        const preds = (predictions as { wnid: string; score?: unknown }[])
          .map((p, order) => ({
            wnid: p.wnid,
            score: typeof p.score === "number" ? p.score : Number.NEGATIVE_INFINITY,
            order,
          }))
          .sort((a, b) => b.score - a.score || a.order - b.order);
        parser.write(
          i + 1,
          sha256,
          preds.map((p) => p.wnid),
          raw,
        );
      }
    } else problems.add(i + 1, shape, quoteFound(raw));
  }
  problems.check();
  return parser.result();
}

export function parseSubmission(text: string, truth: ChallengeTruth, format: SubmissionFormat): ChallengeSubmission {
  if (format === "devkit") return parseDevkitSubmission(text, truth);
  if (format === "csv") return parseCsvSubmission(text, truth);
  return parseJsonlSubmission(text, truth);
}

/**
 * Guesses a submission's format from its first non-blank line (for the CLI; the server is told the format):
 * an object is JSONL, a comma makes CSV, bare integers are devkit; null when it cannot tell.
 */
export function detectSubmissionFormat(text: string): SubmissionFormat | null {
  const first = splitLines(text.slice(0, 64 * 1024)).find((l) => l.trim() !== "");
  if (first === undefined) return null;
  const line = first.trim();
  if (line.startsWith("{")) return "jsonl";
  if (line.includes(",")) return "csv";
  if (/^\d+([ \t]+\d+)*$/.test(line)) return "devkit";
  return null;
}

/**
 * sha256 (hex) of a submission's normalised content: a leading BOM dropped, `\r\n` read as `\n`, blank
 * lines and spaces at the end of the file dropped, one final newline. The same file saved on Windows or
 * with or without a final newline hashes the same; anything else that differs, differs.
 */
export function normalizedSubmissionSha256(text: string): string {
  const body = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n/g, "\n").replace(/\s+$/, "");
  return createHash("sha256").update(`${body}\n`, "utf8").digest("hex");
}

function isBlank(c: number): boolean {
  return c === 10 || c === 13 || c === 32 || c === 9;
}

function indexExpectation(k: number, found: string): string {
  return /^0+$/.test(found)
    ? `class indices 1..${k} (1-based positions in the challenge's class list: a 0 suggests a framework's 0-based, sorted-wnid numbering)`
    : `class indices 1..${k}`;
}

/** Writes one image's guesses (wnids or indices) into the aligned array, checking ids, classes and counts. */
class GuessWriter {
  private readonly guesses: Int32Array;
  private readonly lineOf: Int32Array;
  private predicted = 0;
  private indexGuesses = 0;
  private wnidGuesses = 0;

  constructor(
    private readonly truth: ChallengeTruth,
    private readonly problems: ProblemList,
    private readonly format: SubmissionFormat,
  ) {
    this.guesses = new Int32Array(truth.size * MAX_GUESSES).fill(-1);
    this.lineOf = new Int32Array(truth.size);
  }

  /** Records one image's guesses; false (and a problem) when the line is refused. */
  write(line: number, imageId: string, tokens: readonly string[], raw: string): boolean {
    const { truth } = this;
    const image = truth.positionOfImage(imageId);
    if (image < 0) {
      const ids = truth.positional
        ? `the line numbers 1..${truth.size} of the devkit ground truth`
        : "the ground truth's image ids";
      return this.bad(line, `an image id of the ground truth (${ids})`, quoteFound(imageId));
    }
    const first = this.lineOf[image] as number;
    if (first > 0) return this.bad(line, "one line per image", `${quoteFound(imageId)} again (first on line ${first})`);
    this.lineOf[image] = line;
    if (tokens.length === 0) return this.bad(line, `1 to ${MAX_GUESSES} guesses`, `none in ${quoteFound(raw)}`);
    if (tokens.length > MAX_GUESSES)
      return this.bad(line, `at most ${MAX_GUESSES} guesses`, `${tokens.length} in ${quoteFound(raw)}`);
    const classes = truth.classes;
    const base = image * MAX_GUESSES;
    for (let j = 0; j < tokens.length; j++) {
      const token = tokens[j] as string;
      let position = classes.positionOf(token);
      if (position >= 0) this.wnidGuesses++;
      else if (WNID_RE.test(token)) {
        return this.bad(line, "a wnid of the challenge's class list", quoteFound(token));
      } else if (this.format === "csv" && /^\d+$/.test(token)) {
        if (!classes.published)
          return this.bad(line, "wnids (class indices need the challenge's published class list)", quoteFound(token));
        const index = Number(token);
        if (index < 1 || index > classes.size)
          return this.bad(line, indexExpectation(classes.size, token), quoteFound(token));
        position = index - 1;
        this.indexGuesses++;
      } else {
        const what = this.format === "csv" ? 'a wnid ("n" + 8 digits) or a class index' : 'a wnid ("n" + 8 digits)';
        return this.bad(line, what, quoteFound(token));
      }
      this.guesses[base + j] = position;
    }
    this.predicted++;
    return true;
  }

  private bad(line: number, expected: string, found: string): false {
    this.problems.add(line, expected, found);
    return false;
  }

  result(): ChallengeSubmission {
    return {
      format: this.format,
      images: this.truth.size,
      guesses: this.guesses,
      predicted: this.predicted,
      byIndex: this.indexGuesses > 0 && this.wnidGuesses === 0,
    };
  }
}

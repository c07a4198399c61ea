// Helpers shared by the challenge parsers; not exported from @arbor/core.
import { ChallengeFileError, type ChallengeFileKind, type ChallengeFileProblem } from "./errors.ts";

/** Problems kept in `problems` (a file in the wrong format has one per line). */
const KEPT_PROBLEMS = 100;

/** Collects a file's problems while it is parsed, then throws them all at once. */
export class ProblemList {
  readonly problems: ChallengeFileProblem[] = [];
  count = 0;

  constructor(
    private readonly file: ChallengeFileKind,
    private readonly format: string,
  ) {}

  add(line: number | null, expected: string, found: string): void {
    this.count++;
    if (this.problems.length < KEPT_PROBLEMS) this.problems.push({ line, expected, found });
  }

  /** Throws when any problem was found. */
  check(): void {
    if (this.count > 0) throw new ChallengeFileError(this.file, this.format, this.problems, this.count);
  }

  fail(line: number | null, expected: string, found: string): never {
    this.add(line, expected, found);
    throw new ChallengeFileError(this.file, this.format, this.problems, this.count);
  }
}

/** An error with a single problem, to throw. */
export function fileError(
  file: ChallengeFileKind,
  format: string,
  line: number | null,
  expected: string,
  found: string,
): ChallengeFileError {
  return new ChallengeFileError(file, format, [{ line, expected, found }]);
}

/** A line (or token) as found, quoted and cut to a readable length; an empty one is named so. */
export function quoteFound(text: string, max = 80): string {
  if (text.trim() === "") return text === "" ? "an empty line" : "a blank line";
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut);
}

/** Splits text into lines: a leading BOM is dropped, `\r\n` and `\n` end lines, and a final newline ends the last line. */
export function splitLines(text: string): string[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split("\n");
  if (lines.at(-1) === "") lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.endsWith("\r")) lines[i] = line.slice(0, -1);
  }
  return lines;
}

/** A header's second field: non-empty and without a digit (no wnid or class index has none). */
export function isHeaderField(field: string): boolean {
  return field !== "" && !/\d/.test(field);
}

/** Splits a CSV line at its commas; each field is trimmed and loses one pair of surrounding double quotes. */
export function splitCsvLine(line: string): string[] {
  const comma = line.indexOf(",");
  if (comma >= 0 && line.indexOf(",", comma + 1) < 0 && line.indexOf('"') < 0) {
    return [line.slice(0, comma).trim(), line.slice(comma + 1).trim()]; // the common case, without allocations per field
  }
  return line.split(",").map((f) => {
    const t = f.trim();
    return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
  });
}

/** Drops blank lines at the end of a file (positional formats: nothing follows them). */
export function trimTrailingBlank(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && (lines[end - 1] as string).trim() === "") end--;
  return end === lines.length ? lines : lines.slice(0, end);
}

/** A wnid, checked without zod (parsers test hundreds of thousands of tokens). */
export const WNID_RE = /^n\d{8}$/;

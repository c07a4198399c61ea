/** One problem in a challenge file: where (1-based line, or null for the file as a whole), what was expected, what was found. */
export interface ChallengeFileProblem {
  line: number | null;
  expected: string;
  found: string;
}

export type ChallengeFileKind = "ground truth" | "class list" | "hierarchy" | "submission";

/** Problems listed in an error's message; the rest are counted. */
const LISTED_PROBLEMS = 10;

/**
 * The one error the challenge parsers throw: a file that cannot be read as what it claims to be. The message
 * names each problem's line, what was expected and what was found, so it can be shown as is (no stack trace
 * needed); `problems` holds the first ones as data, `problemCount` counts them all.
 */
export class ChallengeFileError extends Error {
  override readonly name = "ChallengeFileError";

  constructor(
    readonly file: ChallengeFileKind,
    readonly format: string,
    readonly problems: readonly ChallengeFileProblem[],
    readonly problemCount = problems.length,
  ) {
    super(describe(file, format, problems, problemCount));
  }
}

function describe(
  file: ChallengeFileKind,
  format: string,
  problems: readonly ChallengeFileProblem[],
  count: number,
): string {
  const lines = problems
    .slice(0, LISTED_PROBLEMS)
    .map((p) => `${p.line === null ? "" : `line ${p.line}: `}expected ${p.expected}, found ${p.found}`);
  const more = count - lines.length;
  const head = `invalid ${file} (${format}): ${count} problem${count === 1 ? "" : "s"}`;
  return [head, ...lines.map((l) => `  ${l}`), ...(more > 0 ? [`  … and ${more} more`] : [])].join("\n");
}

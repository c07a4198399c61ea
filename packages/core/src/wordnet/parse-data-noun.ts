import { nounLexFileName } from "./lexicographer-files.ts";

/** One noun synset as read from a line of WordNet 3.0's data.noun. */
export interface ParsedSynset {
  offset: number;
  lexFile: string;
  /** In WordNet's order; underscores turned into spaces. */
  lemmas: string[];
  gloss: string;
  /** Offsets of `@` pointers (class hypernyms). */
  hypernyms: number[];
  /** Offsets of `@i` pointers (instance hypernyms: this synset is an instance of them). */
  instanceHypernyms: number[];
}

export class DataNounParseError extends Error {
  constructor(
    readonly lineNumber: number,
    message: string,
  ) {
    super(`data.noun line ${lineNumber}: ${message}`);
  }
}

/**
 * Parses one data.noun line (format: wndb(5WN)):
 * `offset lex_filenum ss_type w_cnt(hex) [word lex_id]... p_cnt [symbol offset pos src/tgt]... | gloss`.
 * Returns null for the licence header lines, which start with two spaces.
 */
export function parseDataNounLine(line: string, lineNumber = 0): ParsedSynset | null {
  if (line.startsWith("  ") || line.trim() === "") return null;
  const bar = line.indexOf(" | ");
  const head = (bar === -1 ? line : line.slice(0, bar)).trim().split(" ");
  const gloss = bar === -1 ? "" : line.slice(bar + 3).trim();
  let i = 0;
  const next = (what: string): string => {
    const token = head[i++];
    if (token === undefined) throw new DataNounParseError(lineNumber, `missing ${what}`);
    return token;
  };
  const offset = Number.parseInt(next("offset"), 10);
  const lexFile = nounLexFileName(Number.parseInt(next("lex_filenum"), 10));
  const ssType = next("ss_type");
  if (ssType !== "n") throw new DataNounParseError(lineNumber, `expected a noun synset, got "${ssType}"`);
  const wordCount = Number.parseInt(next("w_cnt"), 16);
  const lemmas: string[] = [];
  for (let w = 0; w < wordCount; w++) {
    lemmas.push(next("word").replaceAll("_", " "));
    next("lex_id");
  }
  const pointerCount = Number.parseInt(next("p_cnt"), 10);
  const hypernyms: number[] = [];
  const instanceHypernyms: number[] = [];
  for (let p = 0; p < pointerCount; p++) {
    const symbol = next("pointer symbol");
    const target = Number.parseInt(next("pointer offset"), 10);
    const pos = next("pointer pos");
    next("pointer source/target");
    if (pos !== "n") continue;
    if (symbol === "@") hypernyms.push(target);
    else if (symbol === "@i") instanceHypernyms.push(target);
  }
  if (Number.isNaN(offset) || lemmas.length === 0) throw new DataNounParseError(lineNumber, "malformed synset");
  return { offset, lexFile, lemmas, gloss, hypernyms, instanceHypernyms };
}

export function parseDataNoun(text: string): ParsedSynset[] {
  const synsets: ParsedSynset[] = [];
  const lines = text.split("\n");
  for (let n = 0; n < lines.length; n++) {
    const synset = parseDataNounLine(lines[n] as string, n + 1);
    if (synset) synsets.push(synset);
  }
  return synsets;
}

import { ProblemList, quoteFound, splitLines, WNID_RE } from "./internal.ts";

/**
 * A challenge's class list. Position p (0-based, internal) is class index p + 1 of the published list: for
 * ILSVRC-2012 that is the ILSVRC2012_ID of the devkit's map_clsloc.txt (1..1000, NOT the sorted-wnid 0..999
 * numbering most frameworks output). `published` is false for a list derived from a CSV ground truth, whose
 * order means nothing: submissions must then name classes by wnid.
 */
export class ChallengeClasses {
  private readonly position: Map<string, number>;

  constructor(
    readonly wnids: readonly string[],
    readonly names: readonly string[] = wnids.map(() => ""),
    readonly published = true,
  ) {
    this.position = new Map(wnids.map((w, i) => [w, i]));
    if (this.position.size !== wnids.length) throw new Error("a class list names a wnid twice");
    const bad = wnids.find((w) => !WNID_RE.test(w));
    if (bad !== undefined) throw new Error(`a class list holds ${JSON.stringify(bad)}, not a wnid`);
  }

  get size(): number {
    return this.wnids.length;
  }

  /** 0-based position of a wnid, or -1. */
  positionOf(wnid: string): number {
    return this.position.get(wnid) ?? -1;
  }

  /**
   * For each position of this list, the position its index would have if the same indices numbered the
   * wnids in sorted order (what a framework's ImageFolder-style 0..K-1 labels, plus one, mean): used to
   * recognise a submission written in the wrong order.
   */
  sortedOrder(): Int32Array {
    const sorted = [...this.wnids].sort();
    const out = new Int32Array(this.size);
    for (let p = 0; p < sorted.length; p++) out[p] = this.positionOf(sorted[p] as string);
    return out;
  }

  /** True when the published order already is the sorted-wnid order (then no order mix-up can be seen). */
  isSorted(): boolean {
    for (let p = 1; p < this.wnids.length; p++)
      if ((this.wnids[p - 1] as string) >= (this.wnids[p] as string)) return false;
    return true;
  }
}

/**
 * Parses a class list as the ILSVRC devkit's map_clsloc.txt: one `wnid index name` per line (whitespace
 * separated; the name is the rest of the line and may be absent). The indices must be exactly 1..K, each
 * once, in any line order; blank lines are ignored.
 */
export function parseClassList(text: string): ChallengeClasses {
  const problems = new ProblemList("class list", "wnid index name");
  const entries: { wnid: string; index: number; name: string; line: number }[] = [];
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    if (raw.trim() === "") continue;
    const match = /^\s*(\S+)\s+(\S+)(?:\s+(.*?))?\s*$/.exec(raw);
    const wnid = match?.[1] ?? "";
    const index = match?.[2] ?? "";
    if (!match) problems.add(i + 1, '"wnid index name"', quoteFound(raw));
    else if (!WNID_RE.test(wnid)) problems.add(i + 1, 'a wnid ("n" + 8 digits) first', quoteFound(wnid));
    else if (!/^[1-9]\d*$/.test(index)) problems.add(i + 1, "a class index 1, 2, … second", quoteFound(index));
    else entries.push({ wnid, index: Number(index), name: match[3] ?? "", line: i + 1 });
  }
  problems.check();
  if (entries.length === 0) problems.fail(null, "at least one class", "no class");
  const wnids: string[] = new Array(entries.length);
  const names: string[] = new Array(entries.length);
  const wnidLine = new Map<string, number>();
  for (const e of entries) {
    const seen = wnidLine.get(e.wnid);
    if (seen !== undefined) problems.add(e.line, `each wnid once`, `${e.wnid} again (first on line ${seen})`);
    else wnidLine.set(e.wnid, e.line);
    if (e.index > entries.length)
      problems.add(e.line, `indices 1..${entries.length} (one per class line)`, `index ${e.index}`);
    else if (wnids[e.index - 1] !== undefined) problems.add(e.line, `each index once`, `index ${e.index} again`);
    else {
      wnids[e.index - 1] = e.wnid;
      names[e.index - 1] = e.name;
    }
  }
  problems.check();
  return new ChallengeClasses(wnids, names, true);
}

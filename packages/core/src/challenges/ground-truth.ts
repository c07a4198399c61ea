import { ChallengeClasses } from "./classes.ts";
import {
  isHeaderField,
  ProblemList,
  quoteFound,
  splitCsvLine,
  splitLines,
  trimTrailingBlank,
  WNID_RE,
} from "./internal.ts";

export type TruthFormat = "devkit" | "csv";

/**
 * A challenge's ground truth: one class per test image. `labels[i]` is the 0-based position, in `classes`,
 * of image i's class. Image ids are strings compared exactly: for a devkit ground truth (positional) they
 * are the 1-based line numbers written in decimal ("1", "2", …, no padding), for a CSV one the file's
 * `image_id` column (in an Arbor export, the image's sha256).
 */
export class ChallengeTruth {
  private ids: readonly string[] | null;
  private index: Map<string, number> | null = null;

  /** `imageIds` null: the ids are the positions 1..N (a devkit ground truth). */
  constructor(
    readonly classes: ChallengeClasses,
    readonly labels: Int32Array,
    imageIds: readonly string[] | null = null,
  ) {
    if (imageIds && imageIds.length !== labels.length) throw new Error("one image id per label");
    this.ids = imageIds;
    if (imageIds) {
      this.index = new Map(imageIds.map((id, i) => [id, i]));
      if (this.index.size !== imageIds.length) throw new Error("a ground truth names an image twice");
    }
  }

  get size(): number {
    return this.labels.length;
  }

  /** True when image ids are the positions 1..N (devkit order). */
  get positional(): boolean {
    return this.index === null;
  }

  get imageIds(): readonly string[] {
    if (!this.ids) this.ids = Array.from({ length: this.size }, (_, i) => String(i + 1));
    return this.ids;
  }

  /** 0-based position of an image id, or -1 when the ground truth has no such image. */
  positionOfImage(id: string): number {
    if (this.index) return this.index.get(id) ?? -1;
    if (!/^[1-9]\d*$/.test(id)) return -1;
    const n = Number(id);
    return n <= this.size ? n - 1 : -1;
  }
}

/**
 * The ILSVRC devkit's ground truth (e.g. ILSVRC2012_validation_ground_truth.txt): line i is the class index
 * (1..K of `classes`, e.g. ILSVRC2012_ID) of test image i. Every line holds exactly one index; a final
 * newline is fine, an empty line before the end is an error (it would shift every later image).
 */
export function parseDevkitTruth(text: string, classes: ChallengeClasses): ChallengeTruth {
  const problems = new ProblemList("ground truth", "devkit");
  const lines = trimTrailingBlank(splitLines(text));
  const labels = new Int32Array(lines.length);
  const k = classes.size;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const token = raw.trim();
    if (!/^\d+$/.test(token)) problems.add(i + 1, `one class index 1..${k}`, quoteFound(raw));
    else {
      const index = Number(token);
      if (index < 1 || index > k) problems.add(i + 1, `a class index 1..${k}`, quoteFound(token));
      else labels[i] = index - 1;
    }
  }
  problems.check();
  if (lines.length === 0) problems.fail(null, "one line per test image", "an empty file");
  return new ChallengeTruth(classes, labels, null);
}

/**
 * A CSV ground truth, `image_id,wnid` per line (surrounding spaces and double quotes trimmed). The header
 * is optional: a first line whose second field is non-empty and has no digit (`image_id,wnid`,
 * `ImageId,Label`…) is a header. Without `classes`, the class list is the ground truth's distinct wnids,
 * sorted, marked unpublished (submissions must then name classes by wnid).
 */
export function parseCsvTruth(text: string, classes?: ChallengeClasses): ChallengeTruth {
  const problems = new ProblemList("ground truth", "csv image_id,wnid");
  const lines = splitLines(text);
  const ids: string[] = [];
  const wnids: string[] = [];
  const lineOf = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    if (raw.trim() === "") continue;
    const fields = splitCsvLine(raw);
    if (i === 0 && fields.length === 2 && isHeaderField(fields[1] as string)) continue;
    const [id, wnid] = fields;
    if (fields.length !== 2 || !id) problems.add(i + 1, '"image_id,wnid"', quoteFound(raw));
    else if (!WNID_RE.test(wnid as string))
      problems.add(i + 1, 'a wnid ("n" + 8 digits) as second field', quoteFound(wnid as string));
    else if (classes && classes.positionOf(wnid as string) < 0)
      problems.add(i + 1, "a wnid of the class list", quoteFound(wnid as string));
    else if (lineOf.has(id))
      problems.add(i + 1, "each image once", `${quoteFound(id)} again (first on line ${lineOf.get(id)})`);
    else {
      lineOf.set(id, i + 1);
      ids.push(id);
      wnids.push(wnid as string);
    }
  }
  problems.check();
  if (ids.length === 0) problems.fail(null, "at least one image", "no image");
  const list = classes ?? new ChallengeClasses([...new Set(wnids)].sort(), undefined, false);
  const labels = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) labels[i] = list.positionOf(wnids[i] as string);
  return new ChallengeTruth(list, labels, ids);
}

/** Guesses a ground truth's format from its first lines: bare integers are devkit, anything with a comma CSV. */
export function detectTruthFormat(text: string): TruthFormat | null {
  const sample = splitLines(text.slice(0, 4096))
    .filter((l) => l.trim() !== "")
    .slice(0, 20);
  if (sample.length === 0) return null;
  if (sample.every((l) => /^\s*\d+\s*$/.test(l))) return "devkit";
  if (sample.every((l) => l.includes(","))) return "csv";
  return null;
}

export function parseTruth(text: string, format: TruthFormat, classes?: ChallengeClasses): ChallengeTruth {
  if (format === "csv") return parseCsvTruth(text, classes);
  if (!classes) throw new Error("a devkit ground truth needs its class list (wnid index name, e.g. map_clsloc.txt)");
  return parseDevkitTruth(text, classes);
}

import type { Split } from "../export/export-format.ts";
import type { SplitSpec } from "./dataset-definition.ts";
import { splitRank } from "./split-rank.ts";
import { splitTargets } from "./split-targets.ts";

export interface ClassImages {
  classIndex: number;
  /** sha256 of every image of the class (each image belongs to one class). */
  sha256s: readonly string[];
}

interface Unit {
  key: string;
  rank: number;
  members: string[];
  /** groupOf names it: another class may hold a member of its group. */
  shared: boolean;
}

/**
 * Stratified, leak-free, reproducible split assignment.
 *
 * Each class is split on its own (stratified), walking its near-duplicate groups in the seeded rank order of
 * the group key: test takes the first groups that fit its quota, then val, and train the rest. Since ranks
 * come from (seed, sha256) alone, a class with the same images gets the same split in every version with that
 * seed, whatever the other classes are. A group always lands whole in one split; when it spans classes, the
 * class with the lower index decides and the other class counts it where it fell. Quotas are met exactly
 * unless groups make that impossible (only whole groups move), so counts stay within ±1 of the spec in
 * practice, and the caller reports the real counts anyway.
 */
export function assignSplits(
  spec: SplitSpec,
  seed: number,
  classes: readonly ClassImages[],
  groupOf: ReadonlyMap<string, string> = new Map(),
): Map<string, Split> {
  const splitOf = new Map<string, Split>();
  const assigner = new SplitAssigner(spec, seed, groupOf);
  const ordered = [...classes].sort((a, b) => a.classIndex - b.classIndex);
  for (const { sha256s } of ordered) for (const [sha, split] of assigner.assignClass(sha256s)) splitOf.set(sha, split);
  return splitOf;
}

/**
 * assignSplits one class at a time, for callers that stream classes (a freeze of 1.28 M images holds one
 * class, not the dataset): feed the classes in classIndex order and each answer is exactly what assignSplits
 * gives for that class. What carries over between classes is only the split of each near-duplicate group
 * that `groupOf` names, so `groupOf` may be sparse (only the images that have a near-duplicate; an image it
 * does not name is its own group) and memory then grows with the near-duplicates, not the dataset.
 */
export class SplitAssigner {
  private readonly groupSplit = new Map<string, Split>();

  constructor(
    private readonly spec: SplitSpec,
    private readonly seed: number,
    private readonly groupOf: ReadonlyMap<string, string> = new Map(),
  ) {}

  /** The split of each image of the next class (each image belongs to one class). */
  assignClass(sha256s: readonly string[]): Map<string, Split> {
    const { groupOf, groupSplit } = this;
    const splitOf = new Map<string, Split>();
    const targets = splitTargets(this.spec, sha256s.length);
    const counts = { train: 0, val: 0, test: 0 };
    const units = new Map<string, Unit>();
    for (const sha of sha256s) {
      const key = groupOf.get(sha) ?? sha;
      const decided = groupSplit.get(key);
      if (decided) {
        splitOf.set(sha, decided);
        counts[decided] += 1;
        continue;
      }
      let unit = units.get(key);
      if (!unit) {
        unit = { key, rank: splitRank(this.seed, key), members: [], shared: groupOf.has(sha) };
        units.set(key, unit);
      }
      unit.members.push(sha);
    }
    const walk = [...units.values()].sort((a, b) => a.rank - b.rank || (a.key < b.key ? -1 : 1));
    // A unit no other class can meet again (an image without near-duplicates) needs no memory past this class.
    const placed = new Set<string>();
    const place = (unit: Unit, split: Split) => {
      placed.add(unit.key);
      if (unit.shared) groupSplit.set(unit.key, split);
      for (const sha of unit.members) splitOf.set(sha, split);
      counts[split] += unit.members.length;
    };
    for (const split of ["test", "val"] as const) {
      for (const unit of walk) {
        if (counts[split] >= targets[split]) break;
        if (placed.has(unit.key)) continue;
        if (counts[split] + unit.members.length <= targets[split]) place(unit, split);
      }
    }
    for (const unit of walk) if (!placed.has(unit.key)) place(unit, "train");
    return splitOf;
  }
}

/** The first `max` images of a class in the seeded order: a per-class cap that is stable across versions. */
export function capByRank(seed: number, sha256s: readonly string[], max: number | undefined): string[] {
  if (max === undefined || sha256s.length <= max) return [...sha256s];
  return [...sha256s]
    .map((sha) => ({ sha, rank: splitRank(seed, sha) }))
    .sort((a, b) => a.rank - b.rank || (a.sha < b.sha ? -1 : 1))
    .slice(0, max)
    .map(({ sha }) => sha);
}

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
  const groupSplit = new Map<string, Split>();
  const ordered = [...classes].sort((a, b) => a.classIndex - b.classIndex);
  for (const { sha256s } of ordered) {
    const targets = splitTargets(spec, sha256s.length);
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
        unit = { key, rank: splitRank(seed, key), members: [] };
        units.set(key, unit);
      }
      unit.members.push(sha);
    }
    const walk = [...units.values()].sort((a, b) => a.rank - b.rank || (a.key < b.key ? -1 : 1));
    const place = (unit: Unit, split: Split) => {
      groupSplit.set(unit.key, split);
      for (const sha of unit.members) splitOf.set(sha, split);
      counts[split] += unit.members.length;
    };
    for (const split of ["test", "val"] as const) {
      for (const unit of walk) {
        if (counts[split] >= targets[split]) break;
        if (groupSplit.has(unit.key)) continue;
        if (counts[split] + unit.members.length <= targets[split]) place(unit, split);
      }
    }
    for (const unit of walk) if (!groupSplit.has(unit.key)) place(unit, "train");
  }
  return splitOf;
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

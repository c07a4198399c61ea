import type { Split } from "../export/export-format.ts";

export interface VersionItem {
  sha256: string;
  wnid: string;
  split: Split;
}

export interface VersionDiff {
  classesAdded: string[];
  classesRemoved: string[];
  imagesAdded: number;
  imagesRemoved: number;
  /** Images in both versions whose class or split changed. */
  moved: Array<{ sha256: string; from: { wnid: string; split: Split }; to: { wnid: string; split: Split } }>;
  unchanged: number;
}

/** What changed from version a to version b (classes, images, and images that moved class or split). */
export function diffVersions(
  a: { classes: readonly string[]; items: readonly VersionItem[] },
  b: { classes: readonly string[]; items: readonly VersionItem[] },
  maxMoved = 1000,
): VersionDiff & { movedTotal: number } {
  const classesA = new Set(a.classes);
  const classesB = new Set(b.classes);
  const before = new Map(a.items.map((item) => [item.sha256, item]));
  let imagesAdded = 0;
  let unchanged = 0;
  let movedTotal = 0;
  const moved: VersionDiff["moved"] = [];
  for (const item of b.items) {
    const old = before.get(item.sha256);
    if (!old) {
      imagesAdded++;
      continue;
    }
    before.delete(item.sha256);
    if (old.wnid === item.wnid && old.split === item.split) {
      unchanged++;
      continue;
    }
    movedTotal++;
    if (moved.length < maxMoved) {
      moved.push({
        sha256: item.sha256,
        from: { wnid: old.wnid, split: old.split },
        to: { wnid: item.wnid, split: item.split },
      });
    }
  }
  return {
    classesAdded: b.classes.filter((w) => !classesA.has(w)),
    classesRemoved: a.classes.filter((w) => !classesB.has(w)),
    imagesAdded,
    imagesRemoved: before.size,
    moved,
    movedTotal,
    unchanged,
  };
}

import { z } from "zod";
import type { ConflictResolution } from "./dataset-definition.ts";

/** Two chosen classes where one is an ancestor of the other (ILSVRC forbids that). */
export const classConflictSchema = z.object({ ancestor: z.string(), descendant: z.string() });
export type ClassConflict = z.infer<typeof classConflictSchema>;

export interface ResolvedClasses {
  classes: string[];
  conflicts: ClassConflict[];
  dropped: string[];
}

/**
 * Finds ancestor/descendant pairs among the chosen wnids and, when asked, drops one side. `pairs` are all
 * (ancestor, descendant) pairs among the chosen classes, e.g. from the closure table. With "report" nothing
 * is dropped and the caller refuses to freeze while conflicts remain.
 */
export function resolveClassConflicts(
  wnids: readonly string[],
  pairs: readonly ClassConflict[],
  resolution: ConflictResolution,
): ResolvedClasses {
  const chosen = new Set(wnids);
  const conflicts = pairs
    .filter((p) => p.ancestor !== p.descendant && chosen.has(p.ancestor) && chosen.has(p.descendant))
    .sort((a, b) => a.ancestor.localeCompare(b.ancestor) || a.descendant.localeCompare(b.descendant));
  if (resolution === "report" || conflicts.length === 0) return { classes: [...wnids], conflicts, dropped: [] };
  const drop = new Set(conflicts.map((c) => (resolution === "drop-ancestors" ? c.ancestor : c.descendant)));
  return { classes: wnids.filter((w) => !drop.has(w)), conflicts, dropped: [...drop].sort() };
}

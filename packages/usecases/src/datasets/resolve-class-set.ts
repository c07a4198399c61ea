import { type ClassConflict, type DatasetDefinition, ILSVRC2012_WNIDS, resolveClassConflicts } from "@arbor/core";
import type { Db } from "@arbor/db";
import { unprocessable } from "../errors.ts";
import type { Viewer } from "../restrictions/viewer.ts";
import { visibleImage } from "../restrictions/visible-image-sql.ts";

type Queryable = Pick<Db, "$queryRaw">;

export interface CandidateClass {
  synsetId: number;
  wnid: string;
  lemmas: string[];
  /** Usable images (by the definition's link rule), before multi-class exclusion and caps. */
  available: number;
}

export interface ResolvedClassSet {
  /** Classes that survive conflicts and the minimum, sorted by wnid (ILSVRC's class-index order). */
  classes: CandidateClass[];
  conflicts: ClassConflict[];
  droppedForConflicts: string[];
  droppedTooFew: Array<{ wnid: string; available: number }>;
  unknownWnids: string[];
}

/**
 * Turns a definition's class set into concrete synsets with their usable image counts, finds
 * ancestor/descendant conflicts (via the closure table) and applies the definition's resolution. Shared by
 * the preview and the freeze, so what the form shows is what gets frozen. Images restricted for the viewer
 * are not counted (the freeze cannot use them).
 */
export async function resolveClassSet(
  db: Queryable,
  definition: DatasetDefinition,
  viewer: Viewer,
): Promise<ResolvedClassSet> {
  const states = definition.links === "verified" ? ["verified"] : ["verified", "candidate"];
  let requested: string[];
  if (definition.classes.kind === "subtree") {
    const rows = await db.$queryRaw<{ wnid: string }[]>`
      SELECT DISTINCT s.wnid FROM synset r
      JOIN synset_closure c ON c.ancestor_id = r.id
      JOIN synset s ON s.id = c.descendant_id
      JOIN synset_count n ON n.synset_id = s.id
      WHERE r.wnid = ANY(${definition.classes.roots})
        AND (n.verified > 0 OR (${definition.links} <> 'verified' AND n.candidates > 0))`;
    requested = rows.map((r) => r.wnid);
  } else {
    requested =
      definition.classes.kind === "ilsvrc2012" ? [...ILSVRC2012_WNIDS] : [...new Set(definition.classes.wnids)];
  }
  const known = await db.$queryRaw<{ id: number; wnid: string; lemmas: string[] }[]>`
    SELECT id, wnid, lemmas FROM synset WHERE wnid = ANY(${requested})`;
  const byWnid = new Map(known.map((s) => [s.wnid, s]));
  const unknownWnids = requested.filter((w) => !byWnid.has(w));
  if (unknownWnids.length > 0 && definition.classes.kind === "wnids") {
    throw unprocessable(`unknown wnid(s): ${unknownWnids.slice(0, 10).join(", ")}`, { unknownWnids });
  }
  if (definition.classes.kind === "subtree") {
    const roots = await db.$queryRaw<
      { wnid: string }[]
    >`SELECT wnid FROM synset WHERE wnid = ANY(${definition.classes.roots})`;
    const missing = definition.classes.roots.filter((w) => !roots.some((r) => r.wnid === w));
    if (missing.length > 0) {
      throw unprocessable(`unknown root wnid(s): ${missing.join(", ")}`, { unknownWnids: missing });
    }
  }

  const ids = known.map((s) => s.id);
  const pairs = await db.$queryRaw<ClassConflict[]>`
    SELECT a.wnid AS ancestor, d.wnid AS descendant FROM synset_closure c
    JOIN synset a ON a.id = c.ancestor_id JOIN synset d ON d.id = c.descendant_id
    WHERE c.ancestor_id = ANY(${ids}) AND c.descendant_id = ANY(${ids}) AND c.distance > 0`;
  const resolved = resolveClassConflicts(
    known.map((s) => s.wnid),
    pairs,
    definition.conflicts,
  );
  const kept = resolved.classes.map((w) => byWnid.get(w) as { id: number; wnid: string; lemmas: string[] });
  const counts = await countAvailable(
    db,
    kept.map((s) => s.id),
    states,
    definition.includeDescendants,
    viewer,
  );
  const classes: CandidateClass[] = [];
  const droppedTooFew: ResolvedClassSet["droppedTooFew"] = [];
  const minimum =
    definition.classes.kind === "subtree"
      ? Math.max(definition.classes.minImages, definition.minPerClass)
      : definition.minPerClass;
  for (const s of kept) {
    const available = counts.get(s.id) ?? 0;
    if (available < minimum) droppedTooFew.push({ wnid: s.wnid, available });
    else classes.push({ synsetId: s.id, wnid: s.wnid, lemmas: s.lemmas, available });
  }
  classes.sort((a, b) => (a.wnid < b.wnid ? -1 : 1));
  droppedTooFew.sort((a, b) => (a.wnid < b.wnid ? -1 : 1));
  return {
    classes,
    conflicts: resolved.conflicts,
    droppedForConflicts: resolved.dropped,
    droppedTooFew,
    unknownWnids,
  };
}

async function countAvailable(
  db: Queryable,
  synsetIds: number[],
  states: string[],
  includeDescendants: boolean,
  viewer: Viewer,
): Promise<Map<number, number>> {
  const visible = visibleImage("l.image_id", viewer);
  const rows = includeDescendants
    ? await db.$queryRaw<{ id: number; n: number }[]>`
        SELECT c.ancestor_id AS id, count(DISTINCT l.image_id)::int AS n FROM synset_closure c
        JOIN image_link l ON l.synset_id = c.descendant_id
        WHERE c.ancestor_id = ANY(${synsetIds}) AND l.state::text = ANY(${states}) AND ${visible}
        GROUP BY c.ancestor_id`
    : await db.$queryRaw<{ id: number; n: number }[]>`
        SELECT l.synset_id AS id, count(*)::int AS n FROM image_link l
        WHERE l.synset_id = ANY(${synsetIds}) AND l.state::text = ANY(${states}) AND ${visible}
        GROUP BY l.synset_id`;
  return new Map(rows.map((r) => [r.id, r.n]));
}

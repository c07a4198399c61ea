import type { Db } from "@arbor/db";
import { notFound } from "../errors.ts";
import { type DerivedDetail, derivedDetail, type Hierarchy, loadHierarchy } from "./hierarchy-cache.ts";
import type { SynsetChild, SynsetChildren, SynsetDetail } from "./synset-schemas.ts";

type Counts = SynsetDetail["counts"];
const EMPTY_COUNTS: Counts = {
  images: 0,
  subtreeImages: 0,
  candidates: 0,
  verified: 0,
  rejected: 0,
  subtreeVerified: 0,
};

/**
 * The image counts of some synsets, by id: one primary-key read of synset_count (counts change with every
 * link, so they are read each time; the hierarchy around them comes from the in-process copy).
 */
export async function readCounts(db: Db, ids: readonly number[]): Promise<Map<number, Counts>> {
  const rows = await db.$queryRaw<(Counts & { id: number })[]>`
    SELECT synset_id AS id, images, subtree_images AS "subtreeImages", candidates, verified, rejected,
           subtree_verified AS "subtreeVerified"
    FROM synset_count WHERE synset_id = ANY(${ids}::int[])`;
  return new Map(rows.map(({ id, ...counts }) => [id, counts]));
}

export function countsOf(counts: ReadonlyMap<number, Counts>, id: number): Counts {
  return counts.get(id) ?? EMPTY_COUNTS;
}

/** The children of a synset with their counts (already read into `counts`), head word alphabetically. */
export function childrenWithCounts(detail: DerivedDetail, counts: ReadonlyMap<number, Counts>): SynsetChild[] {
  return detail.children.map(({ node, kind }) => ({
    wnid: node.wnid,
    lemmas: node.lemmas,
    gloss: node.gloss,
    kind,
    childCount: node.childEdges.length,
    subtreeSize: node.subtreeSize,
    counts: countsOf(counts, node.id),
  }));
}

/** The hierarchy and the node of `wnid` (`not-found` when there is no such synset). */
export async function findSynsetNode(db: Db, wnid: string) {
  const hierarchy: Hierarchy | null = await loadHierarchy(db);
  const node = hierarchy?.byWnid.get(wnid);
  if (!hierarchy || !node) throw notFound(`no synset ${wnid}`);
  return { hierarchy, node };
}

/** The children of the synset `wnid` with their counts, for the lazy tree (`not-found` when there is none). */
export async function listSynsetChildren(db: Db, wnid: string): Promise<SynsetChildren> {
  const { hierarchy, node } = await findSynsetNode(db, wnid);
  const detail = derivedDetail(hierarchy, node);
  const counts = await readCounts(
    db,
    detail.children.map((c) => c.node.id),
  );
  return { wnid, children: childrenWithCounts(detail, counts) };
}

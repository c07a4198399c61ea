import type { Db } from "@arbor/db";
import { notFound } from "../errors.ts";
import type { SynsetChild, SynsetChildren } from "./synset-schemas.ts";

interface ChildRow {
  wnid: string;
  lemmas: string[];
  gloss: string;
  kind: "hypernym" | "instance";
  subtree_size: number;
  images: number;
  subtree_images: number;
  candidates: number;
  verified: number;
  rejected: number;
  subtree_verified: number;
  child_count: number;
}

/**
 * The children of a synset (by id) with their counts, head word alphabetically; for the lazy tree. One SQL
 * statement (hand-written: it is on every page view, and 4-5× faster than the equivalent nested reads).
 */
export async function listChildrenOf(db: Db, synsetId: number): Promise<SynsetChild[]> {
  const rows = await db.$queryRaw<ChildRow[]>`
    SELECT s.wnid, s.lemmas, s.gloss, e.kind::text AS kind, s.subtree_size,
           coalesce(c.images, 0) AS images, coalesce(c.subtree_images, 0) AS subtree_images,
           coalesce(c.candidates, 0) AS candidates, coalesce(c.verified, 0) AS verified,
           coalesce(c.rejected, 0) AS rejected, coalesce(c.subtree_verified, 0) AS subtree_verified,
           (SELECT count(*)::int FROM synset_edge g WHERE g.parent_id = s.id) AS child_count
    FROM synset_edge e
    JOIN synset s ON s.id = e.child_id
    LEFT JOIN synset_count c ON c.synset_id = s.id
    WHERE e.parent_id = ${synsetId}`;
  return rows
    .map((row) => ({
      wnid: row.wnid,
      lemmas: row.lemmas,
      gloss: row.gloss,
      kind: row.kind,
      childCount: row.child_count,
      subtreeSize: row.subtree_size,
      counts: {
        images: row.images,
        subtreeImages: row.subtree_images,
        candidates: row.candidates,
        verified: row.verified,
        rejected: row.rejected,
        subtreeVerified: row.subtree_verified,
      },
    }))
    .sort((a, b) => (a.lemmas[0] as string).localeCompare(b.lemmas[0] as string, "en", { sensitivity: "base" }));
}

/** The children of the synset `wnid` (`not-found` when there is no such synset). */
export async function listSynsetChildren(db: Db, wnid: string): Promise<SynsetChildren> {
  const synset = await db.synset.findUnique({ where: { wnid }, select: { id: true } });
  if (!synset) throw notFound(`no synset ${wnid}`);
  return { wnid, children: await listChildrenOf(db, synset.id) };
}

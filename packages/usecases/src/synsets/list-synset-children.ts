import type { Db } from "@arbor/db";
import type { SynsetChild } from "./synset-schemas.ts";

/** The children of a synset (by id) with their counts, head word alphabetically; for the lazy tree. */
export async function listChildrenOf(db: Db, synsetId: number): Promise<SynsetChild[]> {
  const edges = await db.synsetEdge.findMany({
    where: { parentId: synsetId },
    select: {
      kind: true,
      child: {
        select: {
          wnid: true,
          lemmas: true,
          gloss: true,
          subtreeSize: true,
          counts: { select: { images: true, subtreeImages: true } },
          _count: { select: { children: true } },
        },
      },
    },
  });
  return edges
    .map(({ kind, child }) => ({
      wnid: child.wnid,
      lemmas: child.lemmas,
      gloss: child.gloss,
      kind,
      childCount: child._count.children,
      subtreeSize: child.subtreeSize,
      counts: child.counts ?? { images: 0, subtreeImages: 0 },
    }))
    .sort((a, b) => (a.lemmas[0] as string).localeCompare(b.lemmas[0] as string, "en", { sensitivity: "base" }));
}

/** The children of the synset `wnid`, or null when there is no such synset. */
export async function listSynsetChildren(
  db: Db,
  wnid: string,
): Promise<{ wnid: string; children: SynsetChild[] } | null> {
  const synset = await db.synset.findUnique({ where: { wnid }, select: { id: true } });
  if (!synset) return null;
  return { wnid, children: await listChildrenOf(db, synset.id) };
}

import type { Db } from "@arbor/db";
import { derivedDetail } from "./hierarchy-cache.ts";
import { childrenWithCounts, countsOf, findSynsetNode, readCounts } from "./list-synset-children.ts";
import type { SynsetDetail } from "./synset-schemas.ts";

/**
 * A synset with its parents, children, counts and every path to the root. The hierarchy (paths, ancestors'
 * names, children) comes from the in-process copy (hierarchy-cache.ts), computed once per synset; the counts
 * of the synset and its children are one primary-key read per call, so they are always current.
 */
export async function getSynset(db: Db, wnid: string): Promise<SynsetDetail> {
  const { hierarchy, node } = await findSynsetNode(db, wnid);
  const detail = derivedDetail(hierarchy, node);
  const counts = await readCounts(db, [node.id, ...detail.children.map((c) => c.node.id)]);
  return {
    wnid: node.wnid,
    lemmas: node.lemmas,
    gloss: node.gloss,
    lexFile: node.lexFile,
    depth: node.depth,
    subtreeSize: node.subtreeSize,
    parents: [...detail.parents],
    children: childrenWithCounts(detail, counts),
    paths: detail.paths.map((path) => [...path]),
    related: detail.related,
    counts: countsOf(counts, node.id),
  };
}

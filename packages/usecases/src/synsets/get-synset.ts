import { pathsToRoot } from "@arbor/core";
import type { Db } from "@arbor/db";
import { notFound } from "../errors.ts";
import { listChildrenOf } from "./list-synset-children.ts";
import type { SynsetDetail } from "./synset-schemas.ts";

const EMPTY_COUNTS = { images: 0, subtreeImages: 0, candidates: 0, verified: 0, rejected: 0, subtreeVerified: 0 };

interface AncestorRow {
  id: number;
  wnid: string;
  lemmas: string[];
  parents: number[];
}

/**
 * A synset with its parents, children, counts and every path to the root. The paths come from the
 * precomputed closure: one query loads all ancestors (the synset included) with their parent ids, and
 * the paths are enumerated in memory — no recursive SQL per page view.
 */
export async function getSynset(db: Db, wnid: string): Promise<SynsetDetail> {
  const synset = await db.synset.findUnique({
    where: { wnid },
    include: {
      counts: {
        select: {
          images: true,
          subtreeImages: true,
          candidates: true,
          verified: true,
          rejected: true,
          subtreeVerified: true,
        },
      },
    },
  });
  if (!synset) throw notFound(`no synset ${wnid}`);

  const [ancestors, children] = await Promise.all([
    db.$queryRaw<AncestorRow[]>`
      SELECT s.id, s.wnid, s.lemmas,
             coalesce(array_agg(e.parent_id) FILTER (WHERE e.parent_id IS NOT NULL), '{}') AS parents
      FROM synset_closure c
      JOIN synset s ON s.id = c.ancestor_id
      LEFT JOIN synset_edge e ON e.child_id = s.id
      WHERE c.descendant_id = ${synset.id}
      GROUP BY s.id`,
    listChildrenOf(db, synset.id),
  ]);
  const byId = new Map(ancestors.map((ancestor) => [ancestor.id, ancestor]));
  const wnidOf = (id: number) => byId.get(id)?.wnid as string;
  const parentIds = (id: number) => byId.get(id)?.parents ?? [];

  const related: SynsetDetail["related"] = {};
  for (const ancestor of ancestors) related[ancestor.wnid] = { lemmas: ancestor.lemmas };

  return {
    wnid: synset.wnid,
    lemmas: synset.lemmas,
    gloss: synset.gloss,
    lexFile: synset.lexFile,
    depth: synset.depth,
    subtreeSize: synset.subtreeSize,
    parents: parentIds(synset.id).map(wnidOf).sort(),
    children,
    paths: pathsToRoot(synset.id, parentIds).map((path) => path.map(wnidOf)),
    related,
    counts: synset.counts ?? EMPTY_COUNTS,
  };
}

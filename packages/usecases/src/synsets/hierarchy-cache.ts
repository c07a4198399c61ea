import { pathsToRoot } from "@arbor/core";
import type { Db } from "@arbor/db";

/** One synset of the in-process copy of the hierarchy, with what is derived from it filled in on first use. */
export interface HierarchyNode {
  id: number;
  wnid: string;
  lemmas: string[];
  gloss: string;
  lexFile: string;
  depth: number;
  subtreeSize: number;
  parentIds: number[];
  childEdges: Array<{ id: number; kind: "hypernym" | "instance" }>;
  derived?: DerivedDetail;
}

/** What a synset page shows of the hierarchy itself: computed once per synset, then shared (frozen). */
export interface DerivedDetail {
  parents: readonly string[];
  paths: readonly (readonly string[])[];
  related: Readonly<Record<string, { lemmas: string[] }>>;
  /** Children, head word alphabetically (the tree's order). */
  children: ReadonlyArray<{ node: HierarchyNode; kind: "hypernym" | "instance" }>;
}

export interface Hierarchy {
  byId: ReadonlyMap<number, HierarchyNode>;
  byWnid: ReadonlyMap<string, HierarchyNode>;
  /** Synsets without parents (WordNet's nouns: entity alone); their subtrees hold every linked image. */
  roots: readonly number[];
}

type SynsetRow = [number, string, string[], string, string, number, number];
type EdgeRow = [number, number, "hypernym" | "instance"];

/**
 * The WordNet hierarchy (synsets, lemmas, glosses, edges) held in this process, per database handle. It only
 * changes by importWordnet (one transaction, into an empty database at `arbor start`; WordNet 3.0 again
 * changes nothing), which forgets this copy when it changes a row; an empty hierarchy (not imported yet) is
 * never kept. Another process re-importing a changed source (never WordNet 3.0) needs a restart of this one.
 * Loading it is two queries on the first request, 2.9 s and 63 MB of heap for WordNet's 82,115 noun synsets
 * (helper-measured, loaded machine; 11 s at load average 16); after that a synset page reads only its counts
 * (one query instead of three) and a search one statement instead of three. Counts are never cached here:
 * they change with every link.
 */
const globalForHierarchy = globalThis as unknown as { arborHierarchies?: WeakMap<Db, Promise<Hierarchy | null>> };
// On globalThis: the web app warms it from instrumentation.ts (warmHierarchy), which Next runs in a module graph
// of its own; a module-level map there would be another map than the routes'.
globalForHierarchy.arborHierarchies ??= new WeakMap();
const loaded = globalForHierarchy.arborHierarchies;

export function loadHierarchy(db: Db): Promise<Hierarchy | null> {
  let hierarchy = loaded.get(db);
  if (!hierarchy) {
    hierarchy = readHierarchy(db).then(
      (h) => {
        if (!h) loaded.delete(db);
        return h;
      },
      (error) => {
        loaded.delete(db);
        throw error;
      },
    );
    loaded.set(db, hierarchy);
  }
  return hierarchy;
}

/** Drops this process's copy (importWordnet calls it when it changed the hierarchy). */
export function forgetHierarchy(db: Db): void {
  loaded.delete(db);
}

async function readHierarchy(db: Db): Promise<Hierarchy | null> {
  // As one JSON text each: half the time of 82k rows through the driver (2.7 s against 5 s, loaded machine).
  const [[synsets], [edges]] = await Promise.all([
    db.$queryRaw<{ j: string | null }[]>`
      SELECT json_agg(json_build_array(id, wnid, lemmas, gloss, lex_file, depth, subtree_size))::text AS j
      FROM synset`,
    db.$queryRaw<{ j: string | null }[]>`
      SELECT json_agg(json_build_array(parent_id, child_id, kind) ORDER BY parent_id, child_id)::text AS j
      FROM synset_edge`,
  ]);
  if (!synsets?.j) return null;
  const byId = new Map<number, HierarchyNode>();
  const byWnid = new Map<string, HierarchyNode>();
  for (const [id, wnid, lemmas, gloss, lexFile, depth, subtreeSize] of JSON.parse(synsets.j) as SynsetRow[]) {
    const node: HierarchyNode = { id, wnid, lemmas, gloss, lexFile, depth, subtreeSize, parentIds: [], childEdges: [] };
    byId.set(id, node);
    byWnid.set(wnid, node);
  }
  for (const [parent, child, kind] of JSON.parse(edges?.j ?? "[]") as EdgeRow[]) {
    byId.get(child)?.parentIds.push(parent);
    byId.get(parent)?.childEdges.push({ id: child, kind });
  }
  const roots = [...byId.values()].filter((n) => n.parentIds.length === 0).map((n) => n.id);
  return { byId, byWnid, roots };
}

const collator = new Intl.Collator("en", { sensitivity: "base" });

/** The node's parents, paths to the root, names of every ancestor and sorted children, computed once. */
export function derivedDetail(hierarchy: Hierarchy, node: HierarchyNode): DerivedDetail {
  if (node.derived) return node.derived;
  const get = (id: number) => hierarchy.byId.get(id) as HierarchyNode;
  const parentsOf = (id: number) => hierarchy.byId.get(id)?.parentIds ?? [];
  // Every ancestor, the synset included (the closure's ancestors): a walk up all parents.
  const related: Record<string, { lemmas: string[] }> = {};
  const stack = [node.id];
  const seen = new Set<number>();
  while (stack.length > 0) {
    const id = stack.pop() as number;
    if (seen.has(id)) continue;
    seen.add(id);
    const ancestor = get(id);
    related[ancestor.wnid] = { lemmas: ancestor.lemmas };
    stack.push(...ancestor.parentIds);
  }
  const children = node.childEdges
    .map((e) => ({ node: get(e.id), kind: e.kind }))
    .sort((a, b) => collator.compare(a.node.lemmas[0] as string, b.node.lemmas[0] as string));
  node.derived = Object.freeze({
    parents: Object.freeze(node.parentIds.map((id) => get(id).wnid).sort()),
    paths: Object.freeze(pathsToRoot(node.id, parentsOf).map((path) => Object.freeze(path.map((id) => get(id).wnid)))),
    related: Object.freeze(related),
    children: Object.freeze(children),
  });
  return node.derived;
}

import type { Dag } from "./dag.ts";

export interface ClosureRow {
  ancestor: number;
  descendant: number;
  /** Shortest number of is-a steps from ancestor down to descendant (0 for the synset itself). */
  distance: number;
}

export interface ClosureSummary {
  rows: ClosureRow[];
  /** Shortest distance of each synset to a root. */
  depth: Map<number, number>;
  /** Number of synsets in each subtree, the synset included. */
  subtreeSize: Map<number, number>;
}

/**
 * Transitive closure of the DAG with shortest distances, in one pass over a topological order:
 * a synset's ancestors are its parents' ancestors one step further, plus itself.
 */
export function computeClosure(dag: Dag): ClosureSummary {
  const ancestorsOf = new Map<number, Map<number, number>>();
  const rows: ClosureRow[] = [];
  const depth = new Map<number, number>();
  const subtreeSize = new Map<number, number>();
  for (const id of dag.topologicalOrder()) {
    const ancestors = new Map<number, number>([[id, 0]]);
    for (const parent of dag.parents(id)) {
      for (const [ancestor, distance] of ancestorsOf.get(parent) as Map<number, number>) {
        const known = ancestors.get(ancestor);
        if (known === undefined || distance + 1 < known) ancestors.set(ancestor, distance + 1);
      }
    }
    ancestorsOf.set(id, ancestors);
    let toRoot = Number.POSITIVE_INFINITY;
    for (const [ancestor, distance] of ancestors) {
      rows.push({ ancestor, descendant: id, distance });
      subtreeSize.set(ancestor, (subtreeSize.get(ancestor) ?? 0) + 1);
      if (dag.parents(ancestor).length === 0) toRoot = Math.min(toRoot, distance);
    }
    depth.set(id, toRoot);
  }
  return { rows, depth, subtreeSize };
}

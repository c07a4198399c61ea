export type EdgeKind = "hypernym" | "instance";

/** An is-a edge: `child` is a kind (hypernym) or an instance of `parent`. */
export interface IsAEdge {
  parent: number;
  child: number;
  kind: EdgeKind;
}

/**
 * The WordNet noun hierarchy as an in-memory DAG keyed by synset offset. Built once per import;
 * pages never hold it (they read the precomputed closure from the database).
 */
export class Dag {
  private readonly parentsOf = new Map<number, number[]>();
  private readonly childrenOf = new Map<number, number[]>();

  constructor(ids: Iterable<number>, edges: Iterable<IsAEdge>) {
    for (const id of ids) {
      this.parentsOf.set(id, []);
      this.childrenOf.set(id, []);
    }
    for (const { parent, child } of edges) {
      const up = this.parentsOf.get(child);
      const down = this.childrenOf.get(parent);
      if (!up || !down) throw new Error(`edge ${parent} -> ${child} names an unknown synset`);
      up.push(parent);
      down.push(child);
    }
  }

  get size(): number {
    return this.parentsOf.size;
  }

  ids(): IterableIterator<number> {
    return this.parentsOf.keys();
  }

  parents(id: number): readonly number[] {
    return this.parentsOf.get(id) ?? [];
  }

  children(id: number): readonly number[] {
    return this.childrenOf.get(id) ?? [];
  }

  roots(): number[] {
    return [...this.parentsOf].filter(([, parents]) => parents.length === 0).map(([id]) => id);
  }

  /** Every synset after all of its parents (Kahn's algorithm). Throws if the graph has a cycle. */
  topologicalOrder(): number[] {
    const pending = new Map<number, number>();
    for (const [id, parents] of this.parentsOf) pending.set(id, parents.length);
    const order = this.roots();
    for (let i = 0; i < order.length; i++) {
      for (const child of this.children(order[i] as number)) {
        const left = (pending.get(child) as number) - 1;
        pending.set(child, left);
        if (left === 0) order.push(child);
      }
    }
    if (order.length !== this.size) throw new Error("the is-a graph has a cycle");
    return order;
  }
}

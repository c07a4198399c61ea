import type { HierarchySynset } from "@arbor/core";

/**
 * ILSVRC-2010's hierarchical cost. For an image with true class g and top-5 predictions l1..l5 the error is
 * min_j d(lj, g), where d(x, y) is the height of the lowest common ancestor of x and y in the hierarchy
 * (0 when x = y; heights are `wordnetHeight`: longest path down to a leaf). WordNet is a DAG, so "lowest"
 * is the common ancestor of least height. The evaluation reports the mean over images.
 *
 * Also provided: the plain tree distance (edges on the shortest path through a common ancestor), which is
 * easier to read for small hierarchies.
 */
export class HierarchyDistance {
  private readonly byWnid = new Map<string, HierarchySynset>();
  private readonly ancestors = new Map<string, Map<string, number>>(); // wnid → (ancestor → min edges up)

  constructor(synsets: HierarchySynset[]) {
    const byId = new Map(synsets.map((s) => [s.id, s]));
    const parents = new Map<string, string[]>();
    for (const s of synsets) {
      this.byWnid.set(s.wnid, s);
      for (const c of s.children) {
        const child = byId.get(c);
        if (!child) throw new Error(`hierarchy: ${s.wnid} lists unknown child id ${c}`);
        parents.set(child.wnid, [...(parents.get(child.wnid) ?? []), s.wnid]);
      }
    }
    for (const s of synsets) {
      const dist = new Map<string, number>([[s.wnid, 0]]);
      const queue = [s.wnid];
      while (queue.length > 0) {
        const w = queue.shift() as string;
        for (const p of parents.get(w) ?? []) {
          if (!dist.has(p)) {
            dist.set(p, (dist.get(w) as number) + 1);
            queue.push(p);
          }
        }
      }
      this.ancestors.set(s.wnid, dist);
    }
  }

  private up(wnid: string): Map<string, number> {
    const a = this.ancestors.get(wnid);
    if (!a) throw new Error(`hierarchy has no synset ${wnid}`);
    return a;
  }

  /** Height of the lowest common ancestor; 0 for the same class; Infinity with no common ancestor. */
  lcaHeight(a: string, b: string): number {
    if (a === b) return 0;
    const ua = this.up(a);
    let best = Number.POSITIVE_INFINITY;
    for (const w of this.up(b).keys()) {
      if (ua.has(w)) best = Math.min(best, this.byWnid.get(w)?.wordnetHeight ?? Number.POSITIVE_INFINITY);
    }
    return best;
  }

  /** Edges on the shortest path between a and b through a common ancestor. */
  treeDistance(a: string, b: string): number {
    const ua = this.up(a);
    let best = Number.POSITIVE_INFINITY;
    for (const [w, db] of this.up(b)) {
      const da = ua.get(w);
      if (da !== undefined) best = Math.min(best, da + db);
    }
    return best;
  }

  /** min over the predictions of d(prediction, truth), with d = lcaHeight (ILSVRC-2010) or treeDistance. */
  imageCost(truth: string, predictions: string[], d: "lca-height" | "tree" = "lca-height"): number {
    let best = Number.POSITIVE_INFINITY;
    for (const p of predictions)
      best = Math.min(best, d === "tree" ? this.treeDistance(p, truth) : this.lcaHeight(p, truth));
    return best;
  }
}

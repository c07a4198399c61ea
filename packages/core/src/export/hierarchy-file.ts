import type { HierarchySynset } from "./export-format.ts";

export interface HierarchyInput {
  /** The classes in class-index order. */
  classes: ReadonlyArray<{ wnid: string; trainImages: number }>;
  /** Every synset involved: the classes and all their ancestors. */
  synsets: ReadonlyArray<{ wnid: string; lemmas: readonly string[]; gloss: string }>;
  /** Direct is-a edges among those synsets (parent, child). */
  edges: ReadonlyArray<{ parent: string; child: string }>;
}

/**
 * The trimmed hierarchy in the shape of the ILSVRC devkit's meta.mat: ids 1..K are the classes in class
 * order, then ancestors sorted by wnid; children point down; wordnet height is the longest path to a leaf of
 * the trimmed tree; an ancestor's image count is the sum over the classes below it.
 */
export function buildHierarchyFile(input: HierarchyInput): HierarchySynset[] {
  const classWnids = input.classes.map((c) => c.wnid);
  const classSet = new Set(classWnids);
  const others = input.synsets
    .map((s) => s.wnid)
    .filter((w) => !classSet.has(w))
    .sort();
  const order = [...classWnids, ...others];
  const idOf = new Map(order.map((wnid, i) => [wnid, i + 1]));
  const meta = new Map(input.synsets.map((s) => [s.wnid, s]));
  const children = new Map<string, string[]>(order.map((w) => [w, []]));
  for (const { parent, child } of input.edges) {
    if (idOf.has(parent) && idOf.has(child)) children.get(parent)?.push(child);
  }
  const height = new Map<string, number>();
  const heightOf = (wnid: string): number => {
    const known = height.get(wnid);
    if (known !== undefined) return known;
    const kids = children.get(wnid) ?? [];
    const h = kids.length === 0 ? 0 : 1 + Math.max(...kids.map(heightOf));
    height.set(wnid, h);
    return h;
  };
  const images = new Map(input.classes.map((c) => [c.wnid, c.trainImages]));
  const below = new Map<string, Set<string>>();
  const classesBelow = (wnid: string): Set<string> => {
    const known = below.get(wnid);
    if (known) return known;
    const set = new Set<string>(classSet.has(wnid) ? [wnid] : []);
    for (const kid of children.get(wnid) ?? []) for (const c of classesBelow(kid)) set.add(c);
    below.set(wnid, set);
    return set;
  };
  return order.map((wnid) => {
    const synset = meta.get(wnid);
    if (!synset) throw new Error(`hierarchy input lacks synset ${wnid}`);
    let numTrainImages = 0;
    for (const c of classesBelow(wnid)) numTrainImages += images.get(c) ?? 0;
    return {
      id: idOf.get(wnid) as number,
      wnid,
      words: synset.lemmas.join(", "),
      gloss: synset.gloss,
      children: (children.get(wnid) ?? []).map((c) => idOf.get(c) as number).sort((a, b) => a - b),
      wordnetHeight: heightOf(wnid),
      numTrainImages,
    };
  });
}

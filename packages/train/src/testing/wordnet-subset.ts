import { readFileSync } from "node:fs";
import path from "node:path";
import type { HierarchySynset } from "@arbor/core";
import { IMAGENET_META } from "./shared-data.ts";

/**
 * Builds a contract-shaped hierarchy.json (ILSVRC devkit meta: classes are ids 1..K, their WordNet ancestors
 * follow) from ImageNet's wordnet.is_a.txt/words.txt, as the exporter does from the database.
 */
export function buildHierarchy(classWnids: string[], trainCounts: number[]): HierarchySynset[] {
  const isA = readFileSync(path.join(IMAGENET_META, "wordnet.is_a.txt"), "utf8");
  const words = new Map<string, string>();
  for (const line of readFileSync(path.join(IMAGENET_META, "words.txt"), "utf8").split("\n")) {
    const [wnid, lemmas] = line.split("\t");
    if (wnid && lemmas !== undefined) words.set(wnid, lemmas);
  }
  const parents = new Map<string, string[]>();
  for (const line of isA.split("\n")) {
    const [parent, child] = line.trim().split(" ");
    if (!parent || !child) continue;
    parents.set(child, [...(parents.get(child) ?? []), parent]);
  }
  const order: string[] = [...classWnids];
  const seen = new Set(order);
  for (let i = 0; i < order.length; i++) {
    for (const p of parents.get(order[i] as string) ?? []) {
      if (!seen.has(p)) {
        seen.add(p);
        order.push(p);
      }
    }
  }
  const id = new Map(order.map((w, i) => [w, i + 1]));
  const children = new Map<string, string[]>(order.map((w) => [w, []]));
  for (const w of order) for (const p of parents.get(w) ?? []) children.get(p)?.push(w);
  const height = new Map<string, number>();
  const heightOf = (w: string): number => {
    const known = height.get(w);
    if (known !== undefined) return known;
    const h = Math.max(-1, ...(children.get(w) ?? []).map(heightOf)) + 1;
    height.set(w, h);
    return h;
  };
  const leafCounts = new Map(classWnids.map((w, i) => [w, trainCounts[i] ?? 0]));
  const imagesUnder = (w: string, acc = new Set<string>()): Set<string> => {
    if (leafCounts.has(w)) acc.add(w);
    for (const c of children.get(w) ?? []) imagesUnder(c, acc);
    return acc;
  };
  return order.map((w) => ({
    id: id.get(w) as number,
    wnid: w,
    words: words.get(w) ?? w,
    gloss: "",
    children: (children.get(w) ?? []).map((c) => id.get(c) as number),
    wordnetHeight: heightOf(w),
    numTrainImages: [...imagesUnder(w)].reduce((s, c) => s + (leafCounts.get(c) ?? 0), 0),
  }));
}

import { createHash } from "node:crypto";
import { z } from "zod";
import type { HierarchySynset } from "../export/export-format.ts";
import { wnidSchema } from "../wnid.ts";
import type { ChallengeClasses } from "./classes.ts";
import { fileError, ProblemList, quoteFound, splitLines, WNID_RE } from "./internal.ts";

/** A direct is-a edge: `child` is a kind of `parent` (wnids). */
export interface ChallengeIsAEdge {
  parent: string;
  child: string;
}

/**
 * The hierarchy a challenge phase is scored with, as a plain value to store with the phase: the direct is-a
 * edges `[parent, child]` among the classes and their ancestors only (trimmed, deduplicated, sorted). The
 * same value always gives the same costs; `scoringHierarchyFingerprint` names it.
 */
export interface ScoringHierarchy {
  edges: readonly (readonly [string, string])[];
}

export const scoringHierarchySchema = z
  .object({ edges: z.array(z.tuple([wnidSchema, wnidSchema])) })
  .meta({ id: "ScoringHierarchy" });

/**
 * Parses is-a edges as in ImageNet's wordnet.is_a.txt: one `parent_wnid child_wnid` per line, whitespace
 * separated. Blank lines and lines starting with `#` are ignored.
 */
export function parseIsAEdges(text: string): ChallengeIsAEdge[] {
  const problems = new ProblemList("hierarchy", "parent_wnid child_wnid");
  const edges: ChallengeIsAEdge[] = [];
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === "" || line.startsWith("#")) continue;
    const [parent, child, extra] = line.split(/\s+/);
    if (extra !== undefined || !parent || !child || !WNID_RE.test(parent) || !WNID_RE.test(child))
      problems.add(i + 1, '"parent_wnid child_wnid" (two wnids)', quoteFound(lines[i] as string));
    else edges.push({ parent, child });
  }
  problems.check();
  return edges;
}

/** The is-a edges of an Arbor export's hierarchy.json (`synsets`, children by id). */
export function edgesFromHierarchySynsets(synsets: readonly HierarchySynset[]): ChallengeIsAEdge[] {
  const wnidOf = new Map(synsets.map((s) => [s.id, s.wnid]));
  const edges: ChallengeIsAEdge[] = [];
  for (const s of synsets) {
    for (const c of s.children) {
      const child = wnidOf.get(c);
      if (!child)
        throw fileError("hierarchy", "hierarchy.json", null, "children that are synset ids", `${s.wnid} → ${c}`);
      edges.push({ parent: s.wnid, child });
    }
  }
  return edges;
}

/**
 * Trims is-a edges (e.g. the whole WordNet noun graph) to the classes and their ancestors: the value to store
 * with a phase. Every class must be in some edge (a hierarchy that does not know a class cannot score it),
 * unless there is only one class.
 */
export function buildScoringHierarchy(edges: Iterable<ChallengeIsAEdge>, classes: ChallengeClasses): ScoringHierarchy {
  const parentsOf = new Map<string, string[]>();
  const mentioned = new Set<string>();
  for (const { parent, child } of edges) {
    mentioned.add(parent);
    mentioned.add(child);
    const list = parentsOf.get(child);
    if (list) list.push(parent);
    else parentsOf.set(child, [parent]);
  }
  const problems = new ProblemList("hierarchy", "is-a edges");
  if (classes.size > 1) {
    classes.wnids.forEach((w, p) => {
      if (!mentioned.has(w)) problems.add(null, "every class in some is-a edge", `${w} (class ${p + 1}) in none`);
    });
  }
  problems.check();
  const kept = new Set<string>(classes.wnids);
  const queue = [...classes.wnids];
  while (queue.length > 0) {
    for (const parent of parentsOf.get(queue.pop() as string) ?? []) {
      if (!kept.has(parent)) {
        kept.add(parent);
        queue.push(parent);
      }
    }
  }
  const unique = new Set<string>();
  const out: [string, string][] = [];
  for (const child of kept) {
    for (const parent of parentsOf.get(child) ?? []) {
      const key = `${parent} ${child}`;
      if (!unique.has(key)) {
        unique.add(key);
        out.push([parent, child]);
      }
    }
  }
  out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return { edges: out };
}

/** A stable name for a scoring hierarchy: `sha256:` and the hash of its sorted `parent child` lines. */
export function scoringHierarchyFingerprint(hierarchy: ScoringHierarchy): string {
  const lines = hierarchy.edges.map(([p, c]) => `${p} ${c}`).sort();
  const hash = createHash("sha256");
  for (const line of lines) hash.update(`${line}\n`);
  return `sha256:${hash.digest("hex")}`;
}

/**
 * Hierarchical costs between every pair of classes, precomputed once per (hierarchy, class list).
 *
 * The rules (ILSVRC 2010/2011; WordNet is a DAG, so "lowest" needs a rule):
 * - the hierarchy is the classes and their ancestors (as stored by `buildScoringHierarchy`);
 * - height(v) = the longest path from v down to a leaf of that hierarchy (a leaf, e.g. every ILSVRC class,
 *   has height 0);
 * - the common ancestors of x and y are the synsets that are ancestors of both (a synset is its own
 *   ancestor); their lowest common ancestor is the one of least height, whichever path leads to it;
 * - d(x, x) = 0 (also when x is an inner node, whose own height is more);
 * - with several roots, a virtual root joins them, one above the tallest; classes with no common ancestor
 *   meet there;
 * - the maximum possible cost `maxHeight` is the height of the root (or of the virtual root).
 * ILSVRC 2010's cost is d = height(lca) as is; ILSVRC 2011's is d / maxHeight.
 */
export class HierarchyCosts {
  /** `lca[a * K + b]`: the height of the lowest common ancestor of class positions a and b. */
  readonly lca: Uint16Array;
  readonly maxHeight: number;
  readonly fingerprint: string;
  readonly classCount: number;

  constructor(hierarchy: ScoringHierarchy, classes: ChallengeClasses) {
    this.fingerprint = scoringHierarchyFingerprint(hierarchy);
    const k = classes.size;
    this.classCount = k;
    // Nodes: the classes first (node id = class position), then the other synsets of the edges.
    const idOf = new Map<string, number>(classes.wnids.map((w, p) => [w, p]));
    const nodeOf = (wnid: string): number => {
      let id = idOf.get(wnid);
      if (id === undefined) {
        id = idOf.size;
        idOf.set(wnid, id);
      }
      return id;
    };
    const pairs = hierarchy.edges.map(([p, c]) => [nodeOf(p), nodeOf(c)] as const);
    const nodes = idOf.size;
    const parents: number[][] = Array.from({ length: nodes }, () => []);
    const children: number[][] = Array.from({ length: nodes }, () => []);
    for (const [p, c] of pairs) {
      (parents[c] as number[]).push(p);
      (children[p] as number[]).push(c);
    }
    if (k > 1) {
      const problems = new ProblemList("hierarchy", "is-a edges");
      for (let a = 0; a < k; a++) {
        if ((parents[a] as number[]).length === 0 && (children[a] as number[]).length === 0)
          problems.add(null, "every class in some is-a edge", `${classes.wnids[a]} (class ${a + 1}) in none`);
      }
      problems.check();
    }
    // Kahn's algorithm from the leaves up gives each node's height after all of its children's.
    const height = new Int32Array(nodes);
    const pending = new Int32Array(nodes);
    const order: number[] = [];
    for (let v = 0; v < nodes; v++) {
      pending[v] = (children[v] as number[]).length;
      if (pending[v] === 0) order.push(v);
    }
    for (let i = 0; i < order.length; i++) {
      const v = order[i] as number;
      for (const p of parents[v] as number[]) {
        if ((height[v] as number) + 1 > (height[p] as number)) height[p] = (height[v] as number) + 1;
        pending[p] = (pending[p] as number) - 1;
        if (pending[p] === 0) order.push(p);
      }
    }
    if (order.length !== nodes) {
      const inCycle = [...idOf].filter(([, id]) => (pending[id] as number) > 0).map(([w]) => w);
      throw fileError(
        "hierarchy",
        "is-a edges",
        null,
        "a hierarchy without cycles",
        `a cycle through ${inCycle.slice(0, 5).join(", ")}`,
      );
    }
    let rootHeight = 0;
    let roots = 0;
    for (let v = 0; v < nodes; v++) {
      if ((parents[v] as number[]).length === 0) {
        roots++;
        rootHeight = Math.max(rootHeight, height[v] as number);
      }
    }
    this.maxHeight = roots > 1 ? rootHeight + 1 : rootHeight;
    // Each class's ancestors (itself included), by increasing height, and as a bit set.
    const words = Math.ceil(nodes / 32);
    const bits = new Uint32Array(k * words);
    const ancestors: Int32Array[] = [];
    const seen = new Int32Array(nodes).fill(-1);
    for (let a = 0; a < k; a++) {
      const list = [a];
      seen[a] = a;
      for (let i = 0; i < list.length; i++) {
        for (const p of parents[list[i] as number] as number[]) {
          if (seen[p] !== a) {
            seen[p] = a;
            list.push(p);
          }
        }
      }
      for (const v of list) bits[a * words + (v >>> 5)] = (bits[a * words + (v >>> 5)] as number) | (1 << (v & 31));
      list.sort((x, y) => (height[x] as number) - (height[y] as number));
      ancestors.push(Int32Array.from(list));
    }
    const lca = new Uint16Array(k * k);
    for (let a = 0; a < k; a++) {
      const up = ancestors[a] as Int32Array;
      for (let b = a + 1; b < k; b++) {
        let h = this.maxHeight;
        const row = b * words;
        for (let i = 0; i < up.length; i++) {
          const v = up[i] as number;
          if (((bits[row + (v >>> 5)] as number) & (1 << (v & 31))) !== 0) {
            h = height[v] as number;
            break;
          }
        }
        lca[a * k + b] = h;
        lca[b * k + a] = h;
      }
    }
    this.lca = lca;
  }

  /** d(a, b): the height of the lowest common ancestor of two class positions (0 when a = b). */
  between(a: number, b: number): number {
    return this.lca[a * this.classCount + b] as number;
  }
}

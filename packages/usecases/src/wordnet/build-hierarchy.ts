import { type ClosureSummary, computeClosure, Dag, type IsAEdge, type ParsedSynset, parseDataNoun } from "@arbor/core";

export interface Hierarchy {
  synsets: ParsedSynset[];
  edges: IsAEdge[];
  closure: ClosureSummary;
}

/** Parses data.noun and derives the is-a DAG and its closure, all in memory (about a second). */
export function buildHierarchy(dataNoun: string): Hierarchy {
  const synsets = parseDataNoun(dataNoun);
  const edges: IsAEdge[] = synsets.flatMap((s) => [
    ...s.hypernyms.map((parent): IsAEdge => ({ parent, child: s.offset, kind: "hypernym" })),
    ...s.instanceHypernyms.map((parent): IsAEdge => ({ parent, child: s.offset, kind: "instance" })),
  ]);
  const dag = new Dag(
    synsets.map((s) => s.offset),
    edges,
  );
  return { synsets, edges, closure: computeClosure(dag) };
}

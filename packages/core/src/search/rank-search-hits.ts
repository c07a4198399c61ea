/** How a synset matched a search, best first. */
export const MATCH_KINDS = ["wnid", "exact", "prefix", "gloss"] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];

export interface SearchHit {
  id: number;
  match: MatchKind;
  /** Position of the matching lemma in the synset (0 = its head word); gloss hits use 0. */
  lemmaPosition: number;
  subtreeSize: number;
}

/** Trims, lower-cases and collapses whitespace; underscores count as spaces (WordNet's own spelling). */
export function normalizeSearchQuery(query: string): string {
  return query.replaceAll("_", " ").trim().toLowerCase().replace(/\s+/g, " ");
}

/**
 * Orders hits: wnid, then exact lemma, then lemma prefix, then gloss words. Within a kind, a synset whose
 * head word matched beats one where a later synonym did, and a larger subtree (a more general sense, e.g.
 * "dog" the animal over "dog" the andiron) comes first. Each synset appears once, at its best match.
 */
export function rankSearchHits(hits: readonly SearchHit[], limit: number): SearchHit[] {
  const best = new Map<number, SearchHit>();
  for (const hit of hits) {
    const seen = best.get(hit.id);
    if (!seen || compareHits(hit, seen) < 0) best.set(hit.id, hit);
  }
  return [...best.values()].sort(compareHits).slice(0, limit);
}

function compareHits(a: SearchHit, b: SearchHit): number {
  return (
    MATCH_KINDS.indexOf(a.match) - MATCH_KINDS.indexOf(b.match) ||
    a.lemmaPosition - b.lemmaPosition ||
    b.subtreeSize - a.subtreeSize ||
    a.id - b.id
  );
}

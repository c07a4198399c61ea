import { describe, expect, it } from "vitest";
import { normalizeSearchQuery, rankSearchHits, type SearchHit } from "./rank-search-hits.ts";

describe("rankSearchHits", () => {
  const hit = (id: number, match: SearchHit["match"], lemmaPosition = 0, subtreeSize = 1): SearchHit => ({
    id,
    match,
    lemmaPosition,
    subtreeSize,
  });

  it("puts exact lemmas before prefixes before gloss words", () => {
    const ranked = rankSearchHits([hit(1, "gloss"), hit(2, "prefix"), hit(3, "exact")], 10);
    expect(ranked.map((h) => h.id)).toEqual([3, 2, 1]);
  });

  it("prefers head words, then bigger subtrees", () => {
    const ranked = rankSearchHits([hit(1, "exact", 3, 1), hit(2, "exact", 0, 5), hit(3, "exact", 0, 200)], 10);
    expect(ranked.map((h) => h.id)).toEqual([3, 2, 1]);
  });

  it("keeps each synset once, at its best match, and honours the limit", () => {
    const ranked = rankSearchHits([hit(1, "gloss"), hit(1, "exact"), hit(2, "prefix"), hit(3, "gloss")], 2);
    expect(ranked).toEqual([hit(1, "exact"), hit(2, "prefix")]);
  });
});

describe("normalizeSearchQuery", () => {
  it("lower-cases, trims and treats underscores as spaces", () => {
    expect(normalizeSearchQuery("  Domestic_Dog ")).toBe("domestic dog");
    expect(normalizeSearchQuery("hot   dog")).toBe("hot dog");
  });
});

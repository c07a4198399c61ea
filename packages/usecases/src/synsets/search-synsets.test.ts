import { useTestDatabase } from "@arbor/db/testing";
import { describe, expect, it } from "vitest";
import { searchSynsets } from "./search-synsets.ts";

describe("searchSynsets", () => {
  const t = useTestDatabase("arbor_wordnet");
  const search = (q: string, limit = 20) => searchSynsets(t.db, { q, limit });

  it("ranks the exact head word first: dog the animal", async () => {
    const { items } = await search("Dog");
    expect(items[0]).toMatchObject({ wnid: "n02084071", match: "exact" });
    expect(items.filter((i) => i.match === "exact").length).toBeGreaterThan(3); // frump, cad, andiron, ...
  });

  it("orders exact, then prefix, then gloss matches", async () => {
    const { items } = await search("tabby");
    const order = items.map((i) => ["wnid", "exact", "prefix", "gloss"].indexOf(i.match));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(new Set(items.map((i) => i.wnid)).size).toBe(items.length);
  });

  it("finds by prefix, by gloss words and by wnid", async () => {
    expect((await search("domestic d")).items.map((i) => i.wnid)).toContain("n02084071");
    expect((await search("barked all night")).items.map((i) => i.wnid)).toContain("n02084071");
    expect((await search("n02084071")).items[0]).toMatchObject({ wnid: "n02084071", match: "wnid" });
  });

  it("treats LIKE wildcards literally and honours the limit", async () => {
    expect((await search("%")).items).toEqual([]);
    expect((await search("a", 5)).items).toHaveLength(5);
  });

  it("takes the shortest prefix matches, larger subtrees first among equal lengths, as a plain join would", async () => {
    for (const [q, limit] of [
      ["sta", 20],
      ["dogw", 3],
      ["tr", 5],
    ] as const) {
      // The definition, written the obvious way: every match joined to its synset, sorted, cut. Compared by
      // sort key (key length, subtree size), since equal keys may be cut either way. None of these words is
      // a lemma itself, so no exact hit competes for the page (the final ranking would cut prefix hits).
      const reference = await t.db.$queryRaw<{ wnid: string; len: number; size: number }[]>`
        SELECT s.wnid, length(l.key) AS len, s.subtree_size AS size FROM synset_lemma l
        JOIN synset s ON s.id = l.synset_id
        WHERE l.key LIKE ${`${q}%`} AND l.key <> ${q}
        ORDER BY length(l.key), s.subtree_size DESC LIMIT ${limit}`;
      const { items } = await search(q, limit);
      const exact = new Set(items.filter((i) => i.match === "exact" || i.match === "wnid").map((i) => i.wnid));
      const prefix = items.filter((i) => i.match === "prefix").map((i) => i.wnid);
      const keyOf = new Map<string, string>();
      for (const r of reference) if (!keyOf.has(r.wnid)) keyOf.set(r.wnid, `${r.len}:${r.size}`);
      const expected = [...keyOf].filter(([wnid]) => !exact.has(wnid)).map(([, key]) => key);
      const found = await t.db.$queryRaw<{ key: string }[]>`
        SELECT min(length(l.key)) || ':' || s.subtree_size AS key FROM synset_lemma l
        JOIN synset s ON s.id = l.synset_id
        WHERE s.wnid = ANY(${prefix}::text[]) AND l.key LIKE ${`${q}%`} AND l.key <> ${q}
        GROUP BY s.id, s.subtree_size`;
      expect(exact.size, q).toBe(0);
      expect(prefix.length, q).toBeGreaterThan(0);
      expect(found.map((r) => r.key).sort(), q).toEqual(expected.slice(0, prefix.length).sort());
    }
  });
});

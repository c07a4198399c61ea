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
});

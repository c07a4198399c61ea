import { useTestDatabase } from "@arbor/db/testing";
import { describe, expect, it } from "vitest";
import { getSynset } from "./get-synset.ts";
import { listSynsetChildren } from "./list-synset-children.ts";

describe("getSynset", () => {
  const t = useTestDatabase("arbor_wordnet");

  it("gives dog's parents, paths to entity and names for every wnid on them", async () => {
    const dog = await getSynset(t.db, "n02084071");
    expect(dog?.lemmas).toEqual(["dog", "domestic dog", "Canis familiaris"]);
    expect(dog?.parents).toEqual(["n01317541", "n02083346"]); // domestic animal, canine
    expect(dog?.paths.length).toBeGreaterThanOrEqual(2);
    for (const path of dog?.paths ?? []) {
      expect(path[0]).toBe("n00001740");
      expect(path.at(-1)).toBe("n02084071");
    }
    expect(dog?.paths.some((p) => p.includes("n02083346"))).toBe(true);
    expect(dog?.related.n02083346?.lemmas).toContain("canine");
    expect(dog?.counts).toEqual({
      images: 0,
      subtreeImages: 0,
      candidates: 0,
      verified: 0,
      rejected: 0,
      subtreeVerified: 0,
    });
    expect(dog?.children.map((c) => c.lemmas[0])).toContain("puppy");
  });

  it("lists entity's children with whether they have children of their own", async () => {
    const entity = await listSynsetChildren(t.db, "n00001740");
    expect(entity?.children.map((c) => c.lemmas[0])).toEqual(["abstraction", "physical entity", "thing"]);
    expect(entity?.children.every((c) => c.childCount > 0 && c.kind === "hypernym")).toBe(true);
  });

  it("refuses an unknown synset as not-found", async () => {
    const noSynset = { name: "UseCaseError", kind: "not-found", message: "no synset n99999999" };
    await expect(getSynset(t.db, "n99999999")).rejects.toMatchObject(noSynset);
    await expect(listSynsetChildren(t.db, "n99999999")).rejects.toMatchObject(noSynset);
  });
});

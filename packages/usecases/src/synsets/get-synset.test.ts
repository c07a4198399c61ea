import { useTestDatabase } from "@arbor/db/testing";
import { describe, expect, it, vi } from "vitest";
import { applyNewLinkCounts } from "../image-links/apply-new-link-counts.ts";
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

  it("keeps one copy of the hierarchy per database for every copy of the module (the web warms it from another module graph)", async () => {
    vi.resetModules();
    const first = await import("./hierarchy-cache.ts");
    vi.resetModules();
    const second = await import("./hierarchy-cache.ts");
    expect(second.loadHierarchy).not.toBe(first.loadHierarchy); // two instances of the module, as in Next
    const warmed = first.loadHierarchy(t.db);
    expect(second.loadHierarchy(t.db)).toBe(warmed);
    expect((await warmed)?.byWnid.get("n02084071")?.lemmas[0]).toBe("dog");
  });

  it("lists entity's children with whether they have children of their own", async () => {
    const entity = await listSynsetChildren(t.db, "n00001740");
    expect(entity?.children.map((c) => c.lemmas[0])).toEqual(["abstraction", "physical entity", "thing"]);
    expect(entity?.children.every((c) => c.childCount > 0 && c.kind === "hypernym")).toBe(true);
  });

  it("reads counts afresh on every call (the hierarchy is kept in the process, the counts are not)", async () => {
    const before = await getSynset(t.db, "n02083346"); // canine: dog is a child
    const image = await t.db.image.create({
      data: {
        sha256: "c".repeat(64),
        phash: 0n,
        ...{ phashBand0: 0, phashBand1: 0, phashBand2: 0, phashBand3: 0 },
        ...{ width: 10, height: 10, format: "jpeg", bytes: 1, originalKey: "o", thumbnailKey: "t" },
        ...{ thumbnailWidth: 10, thumbnailHeight: 10 },
      },
    });
    const dog = await t.db.synset.findUniqueOrThrow({ where: { wnid: "n02084071" } });
    await t.db.$transaction(async (tx) => {
      const links = [{ imageId: image.id, synsetId: dog.id, state: "verified" as const }];
      await tx.imageLink.createMany({ data: links });
      await applyNewLinkCounts(tx, links);
    });
    const after = await getSynset(t.db, "n02083346");
    expect(after.counts.subtreeImages).toBe(before.counts.subtreeImages + 1);
    expect(after.children.find((c) => c.wnid === "n02084071")?.counts).toMatchObject({ images: 1, verified: 1 });
    expect((await getSynset(t.db, "n02084071")).counts).toMatchObject({ images: 1, subtreeVerified: 1 });
    expect(after.paths).toEqual(before.paths);
  });

  it("refuses an unknown synset as not-found", async () => {
    const noSynset = { name: "UseCaseError", kind: "not-found", message: "no synset n99999999" };
    await expect(getSynset(t.db, "n99999999")).rejects.toMatchObject(noSynset);
    await expect(listSynsetChildren(t.db, "n99999999")).rejects.toMatchObject(noSynset);
  });
});

import { readFile } from "node:fs/promises";
import path from "node:path";
import { useTestDatabase } from "@arbor/db/testing";
import { describe, expect, it } from "vitest";
import { SHARED_DATA_DIR } from "../testing/shared-data.ts";
import { importWordnet } from "./import-wordnet.ts";

const META = path.join(SHARED_DATA_DIR, "imagenet-meta");

describe("WordNet import (database cloned from the imported template)", () => {
  const t = useTestDatabase("arbor_wordnet");

  it("has every noun synset with the lemmas of ImageNet's words.txt", async () => {
    const words = (await readFile(path.join(META, "words.txt"), "utf8")).split("\n").filter(Boolean);
    expect(words).toHaveLength(82_115);
    const rows = await t.db.synset.findMany({ select: { wnid: true, lemmas: true } });
    expect(rows).toHaveLength(82_115);
    const lemmasOf = new Map(rows.map((r) => [r.wnid, r.lemmas.join(", ")]));
    const mismatches = words.filter((line) => {
      const [wnid, lemmas] = line.split("\t");
      return lemmasOf.get(wnid as string) !== lemmas;
    });
    expect(mismatches).toEqual([]);
  });

  it("has exactly ImageNet's is-a pairs as hypernym edges, and instance edges kept apart", async () => {
    const isA = (await readFile(path.join(META, "wordnet.is_a.txt"), "utf8")).split("\n").filter(Boolean);
    const edges = await t.db.synsetEdge.findMany({
      select: { kind: true, parent: { select: { wnid: true } }, child: { select: { wnid: true } } },
    });
    const hypernyms = edges.filter((e) => e.kind === "hypernym").map((e) => `${e.parent.wnid} ${e.child.wnid}`);
    expect(hypernyms.sort()).toEqual([...isA].sort());
    const paris = edges.find((e) => e.child.wnid === "n08851034");
    expect(paris).toMatchObject({ kind: "instance", parent: { wnid: "n08524735" } }); // Paris: instance of capital
  });

  it("has one root, entity, reaching every synset, with glosses and lexicographer files", async () => {
    const roots = await t.db.synset.findMany({ where: { parents: { none: {} } }, select: { wnid: true } });
    expect(roots).toEqual([{ wnid: "n00001740" }]);
    const entity = await t.db.synset.findUniqueOrThrow({ where: { wnid: "n00001740" } });
    expect(entity).toMatchObject({ depth: 0, subtreeSize: 82_115, lexFile: "noun.Tops" });
    expect(entity.gloss).toMatch(/^that which is perceived or known or inferred/);
    const dog = await t.db.synset.findUniqueOrThrow({ where: { wnid: "n02084071" } });
    expect(dog).toMatchObject({ lexFile: "noun.animal", lemmas: ["dog", "domestic dog", "Canis familiaris"] });
  });

  it("is idempotent: a second run changes no row", async () => {
    const result = await importWordnet(t.db);
    expect(result).toMatchObject({ synsets: 82_115, changes: { synsets: 0, edges: 0, closure: 0, lemmas: 0 } });
    expect(await t.db.synset.count()).toBe(82_115);
  });

  it("leaves the closure's foreign keys in place (the bulk load drops and re-validates them)", async () => {
    const constraints = await t.db.$queryRaw<{ conname: string; convalidated: boolean }[]>`
      SELECT conname, convalidated FROM pg_constraint
      WHERE conrelid = 'synset_closure'::regclass AND contype = 'f' ORDER BY conname`;
    expect(constraints).toEqual([
      { conname: "synset_closure_ancestor_id_fkey", convalidated: true },
      { conname: "synset_closure_descendant_id_fkey", convalidated: true },
    ]);
  });
});

import { useTestDatabase } from "@arbor/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { applyNewLinkCounts, type NewLink } from "../image-links/apply-new-link-counts.ts";
import { listSynsetImages } from "./list-synset-images.ts";

const ENTITY = "n00001740";
const DOG = "n02084071";
const CAT = "n02121620"; // cat, true cat: a subtree with a few images among many dogs
const LEAVES = { chihuahua: "n02085620", pug: "n02110958", siamese: "n02123394", tabby: "n02123045" };
const STATES = ["candidate", "verified", "rejected"] as const;

describe("listSynsetImages", () => {
  const t = useTestDatabase("arbor_wordnet");
  const links: Array<NewLink & { wnid: string }> = [];

  beforeAll(async () => {
    // 3000 images: nearly all dogs (a dense subtree of entity), every 300th a cat (a sparse one: the listing
    // goes synset by synset), some linked twice within the subtree (listed once), states mixed.
    await t.db.$executeRaw`
      INSERT INTO image (sha256, phash, phash_band0, phash_band1, phash_band2, phash_band3, width, height, format,
                         bytes, original_key, thumbnail_key, thumbnail_width, thumbnail_height)
      SELECT lpad(to_hex(g), 64, '0'), g, 0, 0, 0, 0, 32, 32, 'jpeg', 1, 'o', 't', 32, 32
      FROM generate_series(1, 3000) g`;
    const images = (await t.db.image.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((i) => i.id);
    const synsets = await t.db.synset.findMany({
      where: { wnid: { in: Object.values(LEAVES) } },
      select: { id: true, wnid: true },
    });
    const id = (wnid: string) => synsets.find((s) => s.wnid === wnid)?.id as number;
    images.forEach((imageId, n) => {
      const state = STATES[n % 3] as NewLink["state"];
      const cat = n % 300 === 0;
      const first = cat ? (n % 600 === 0 ? LEAVES.siamese : LEAVES.tabby) : n % 2 ? LEAVES.chihuahua : LEAVES.pug;
      links.push({ imageId, synsetId: id(first), state, wnid: first });
      if (n % 7 === 0 && !cat) {
        const other = first === LEAVES.pug ? LEAVES.chihuahua : LEAVES.pug;
        links.push({ imageId, synsetId: id(other), state: STATES[(n + 1) % 3] as NewLink["state"], wnid: other });
      }
      if (n % 900 === 0) links.push({ imageId, synsetId: id(LEAVES.siamese), state: "verified", wnid: LEAVES.siamese });
    });
    const unique = [...new Map(links.map((l) => [`${l.imageId}/${l.synsetId}`, l])).values()];
    links.splice(0, links.length, ...unique);
    await t.db.$transaction(
      async (tx) => {
        await tx.imageLink.createMany({ data: links.map(({ wnid: _, ...l }) => l) });
        await applyNewLinkCounts(tx, links);
      },
      { timeout: 60_000 },
    );
  });

  /** What a listing must give: the distinct images of the subtree's links (in the state), newest first. */
  const expected = (leaves: string[], state?: NewLink["state"]) =>
    [...new Set(links.filter((l) => leaves.includes(l.wnid) && (!state || l.state === state)).map((l) => l.imageId))]
      .sort((a, b) => b - a)
      .slice(0, 10_000);

  const everyPage = async (wnid: string, query: { descendants: boolean; state?: NewLink["state"] }) => {
    const ids: number[] = [];
    let cursor: number | undefined;
    for (let page = 0; page < 1000; page++) {
      const answer = await listSynsetImages(t.db, wnid, { ...query, limit: 97, ...(cursor ? { cursor } : {}) });
      ids.push(...answer.items.map((i) => i.id));
      if (answer.nextCursor === null) return ids;
      cursor = answer.nextCursor;
    }
    throw new Error("no last page");
  };

  it("pages a dense subtree (entity) to the end: every image once, newest first", async () => {
    expect(await everyPage(ENTITY, { descendants: true })).toEqual(expected(Object.values(LEAVES)));
    expect(await everyPage(DOG, { descendants: true, state: "verified" })).toEqual(
      expected([LEAVES.chihuahua, LEAVES.pug], "verified"),
    );
  });

  it("pages a sparse subtree (cats among dogs) synset by synset with the same answer", async () => {
    const cats = [LEAVES.siamese, LEAVES.tabby];
    expect(expected(cats).length).toBeGreaterThan(5);
    expect(await everyPage(CAT, { descendants: true })).toEqual(expected(cats));
    for (const state of STATES)
      expect(await everyPage(CAT, { descendants: true, state })).toEqual(expected(cats, state));
    expect(await everyPage(ENTITY, { descendants: true, state: "rejected" })).toEqual(
      expected(Object.values(LEAVES), "rejected"),
    );
  });

  it("lists one synset's own images, and nothing for a subtree without any", async () => {
    expect(await everyPage(LEAVES.pug, { descendants: false })).toEqual(expected([LEAVES.pug]));
    expect(await everyPage(DOG, { descendants: false })).toEqual([]);
    expect(await everyPage("n00015388", { descendants: true, state: "candidate" })).toEqual(
      expected(Object.values(LEAVES), "candidate"),
    ); // animal
    expect(await everyPage("n07739125", { descendants: true })).toEqual([]); // apple
  });

  it("refuses an unknown synset as not-found", async () => {
    await expect(listSynsetImages(t.db, "n99999999", { descendants: true, limit: 5 })).rejects.toMatchObject({
      kind: "not-found",
      message: "no synset n99999999",
    });
  });
});

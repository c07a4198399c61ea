import { useTestDatabase } from "@arbor/db/testing";
import { describe, expect, it } from "vitest";
import { applyLinkStateChanges } from "./apply-link-state-changes.ts";
import { applyNewLinkCounts, type NewLink } from "./apply-new-link-counts.ts";
import { recountSynsetCounts } from "./recount-synset-counts.ts";

const WNID = { entity: "n00001740", canine: "n02083346", dog: "n02084071", puppy: "n01322604", cat: "n02121808" };

describe("incremental synset counts", () => {
  const t = useTestDatabase("arbor_wordnet");
  let nextImage = 0;

  async function newImage(): Promise<number> {
    nextImage++;
    const image = await t.db.image.create({
      data: {
        sha256: nextImage.toString(16).padStart(64, "0"),
        phash: 0n,
        phashBand0: 0,
        phashBand1: 0,
        phashBand2: 0,
        phashBand3: 0,
        width: 1,
        height: 1,
        format: "jpeg",
        bytes: 1,
        originalKey: "originals/x",
        thumbnailKey: "thumbnails/x",
        thumbnailWidth: 1,
        thumbnailHeight: 1,
      },
    });
    return image.id;
  }

  async function link(batch: Array<[number, keyof typeof WNID, NewLink["state"]]>): Promise<void> {
    const ids = new Map(
      (await t.db.synset.findMany({ where: { wnid: { in: Object.values(WNID) } } })).map((s) => [s.wnid, s.id]),
    );
    const links = batch.map(([imageId, name, state]) => ({ imageId, synsetId: ids.get(WNID[name]) as number, state }));
    await t.db.$transaction(async (tx) => {
      await tx.imageLink.createMany({ data: links });
      await applyNewLinkCounts(tx, links);
    });
  }

  const counts = async (name: keyof typeof WNID) =>
    t.db.synsetCount.findFirstOrThrow({ where: { synset: { wnid: WNID[name] } } });

  it("counts an image once per subtree however many of its links fall inside", async () => {
    const a = await newImage();
    const b = await newImage();
    await link([
      [a, "dog", "candidate"],
      [a, "puppy", "verified"], // same image, dog's child: one image under canine
      [b, "cat", "candidate"],
    ]);
    expect(await counts("canine")).toMatchObject({ images: 0, subtreeImages: 1, subtreeVerified: 1 });
    expect(await counts("dog")).toMatchObject({ images: 1, candidates: 1, subtreeImages: 1, subtreeVerified: 1 });
    expect(await counts("puppy")).toMatchObject({ images: 1, verified: 1, subtreeImages: 1 });
    expect(await counts("entity")).toMatchObject({ subtreeImages: 2, subtreeVerified: 1 });

    // Later batches: an older link already covers the ancestors, so only new ground counts.
    const c = await newImage();
    await link([[b, "dog", "verified"]]);
    await link([[c, "puppy", "candidate"]]);
    await link([[c, "dog", "candidate"]]);
    expect(await counts("canine")).toMatchObject({ subtreeImages: 3, subtreeVerified: 2 });
    expect(await counts("entity")).toMatchObject({ subtreeImages: 3, subtreeVerified: 2 });
    expect(await counts("dog")).toMatchObject({ images: 3, candidates: 2, verified: 1 });
    expect(await recountSynsetCounts(t.db)).toEqual([]);
  });

  it("moves counts exactly when links change state, in both directions and in one batch", async () => {
    const d = await newImage();
    await link([
      [d, "dog", "candidate"],
      [d, "puppy", "candidate"],
    ]);
    const ids = new Map(
      (await t.db.synset.findMany({ where: { wnid: { in: Object.values(WNID) } } })).map((s) => [s.wnid, s.id]),
    );
    const change = (changes: Array<[keyof typeof WNID, "candidate" | "verified" | "rejected"]>) =>
      t.db.$transaction((tx) =>
        applyLinkStateChanges(
          tx,
          changes.map(([name, to]) => ({ imageId: d, synsetId: ids.get(WNID[name]) as number, to })),
        ),
      );
    const before = await counts("canine");
    await change([["dog", "verified"]]);
    expect((await counts("canine")).subtreeVerified).toBe(before.subtreeVerified + 1);
    await change([
      ["dog", "rejected"], // loses verified…
      ["puppy", "verified"], // …while another link of the image gains it: canine still covers the image
    ]);
    expect((await counts("canine")).subtreeVerified).toBe(before.subtreeVerified + 1);
    expect(await recountSynsetCounts(t.db)).toEqual([]);
    await change([["puppy", "candidate"]]);
    expect((await counts("canine")).subtreeVerified).toBe(before.subtreeVerified);
    expect(await recountSynsetCounts(t.db)).toEqual([]);
  });

  it("finds and repairs drift", async () => {
    await t.db.synsetCount.updateMany({ where: { synset: { wnid: WNID.canine } }, data: { subtreeImages: 99 } });
    const mismatches = await recountSynsetCounts(t.db, { repair: true });
    expect(mismatches).toEqual([{ wnid: WNID.canine, column: "subtree_images", stored: 99, actual: 4 }]);
    expect(await recountSynsetCounts(t.db)).toEqual([]);
  });
});

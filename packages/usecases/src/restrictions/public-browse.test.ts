import { useTestDatabase } from "@arbor/db/testing";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { envSchema } from "../env.ts";
import { getImage } from "../images/get-image.ts";
import { listSynsetImages } from "../images/list-synset-images.ts";
import { openImageBlob } from "../images/open-image-blob.ts";
import { listImagePredictions } from "../models/get-model.ts";
import { mayBrowse } from "./image-access.ts";
import type { Actor } from "./viewer.ts";

// Before anything reads the configuration (it is cached per process, and each test file has its own).
vi.stubEnv("ARBOR_PUBLIC_BROWSE", "off");

describe("ARBOR_PUBLIC_BROWSE", () => {
  const t = useTestDatabase("arbor_wordnet");
  let imageId: number;
  const annotator: Actor = { id: 1, roles: ["annotator"] };

  beforeAll(async () => {
    const image = await t.db.image.create({
      data: {
        sha256: "b".repeat(64),
        phash: 0n,
        ...{ phashBand0: 0, phashBand1: 0, phashBand2: 0, phashBand3: 0 },
        ...{ width: 10, height: 10, format: "jpeg", bytes: 1, originalKey: "o", thumbnailKey: "t" },
        ...{ thumbnailWidth: 10, thumbnailHeight: 10 },
      },
    });
    imageId = image.id;
  });

  it("is on unless set to false, 0 or off", () => {
    const parse = (value?: string) =>
      envSchema.parse(value === undefined ? {} : { ARBOR_PUBLIC_BROWSE: value }).ARBOR_PUBLIC_BROWSE;
    expect([undefined, "", "true", "1", "on"].map(parse)).toEqual([true, true, true, true, true]);
    expect(["false", "0", "off"].map(parse)).toEqual([false, false, false]);
    expect(() => parse("maybe")).toThrow();
    expect(mayBrowse(null, true)).toBe(true);
    expect(mayBrowse(null, false)).toBe(false);
    expect(mayBrowse(annotator, false)).toBe(true);
  });

  it("when off, asks anonymous visitors to sign in for images, and lets any signed-in user see them", async () => {
    const unauthenticated = { kind: "unauthenticated", message: expect.stringMatching(/ARBOR_PUBLIC_BROWSE/) };
    await expect(getImage(t.db, imageId, null)).rejects.toMatchObject(unauthenticated);
    await expect(getImage(t.db, 999_999, null)).rejects.toMatchObject(unauthenticated); // not even whether it exists
    await expect(listImagePredictions(t.db, imageId, null)).rejects.toMatchObject(unauthenticated);
    await expect(listSynsetImages(t.db, "n02084071", { descendants: false, limit: 10 }, null)).rejects.toMatchObject(
      unauthenticated,
    );
    const blobs = { head: vi.fn(), getStream: vi.fn() };
    await expect(openImageBlob({ db: t.db, blobs: blobs as never }, imageId, "thumbnail", null)).rejects.toMatchObject(
      unauthenticated,
    );
    expect(blobs.head).not.toHaveBeenCalled();
    expect((await getImage(t.db, imageId, annotator)).id).toBe(imageId);
    expect(await listSynsetImages(t.db, "n02084071", { descendants: false, limit: 10 }, annotator)).toEqual({
      items: [],
      nextCursor: null,
    });
  });
});

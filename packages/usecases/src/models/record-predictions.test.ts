import { randomBytes } from "node:crypto";
import { useTestDatabase } from "@arbor/db/testing";
import { describe, expect, it } from "vitest";
import { createDatasetVersion } from "../datasets/create-dataset-version.ts";
import { applyNewLinkCounts } from "../image-links/apply-new-link-counts.ts";
import { OPERATOR } from "../restrictions/viewer.ts";
import { createModel } from "./create-model.ts";
import { recordPredictions } from "./record-predictions.ts";

const MALTESE = "n02085936";
const TABBY = "n02123045";

describe("predictions say whether their image was in the model's training split (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");

  /** Images with random hashes (no two near-duplicates), verified for `wnid`. */
  async function verifiedImages(n: number, wnid: string): Promise<{ id: number; sha256: string }[]> {
    const synset = await t.db.synset.findUniqueOrThrow({ where: { wnid }, select: { id: true } });
    const created: { id: number; sha256: string }[] = [];
    for (let i = 0; i < n; i++) {
      const bands = randomBytes(8);
      created.push(
        await t.db.image.create({
          data: {
            sha256: randomBytes(32).toString("hex"),
            phash: bands.readBigInt64BE(),
            ...{ phashBand0: bands.readUInt16BE(0), phashBand1: bands.readUInt16BE(2) },
            ...{ phashBand2: bands.readUInt16BE(4), phashBand3: bands.readUInt16BE(6) },
            ...{ width: 10, height: 10, format: "jpeg", bytes: 1, originalKey: "o", thumbnailKey: "t" },
            ...{ thumbnailWidth: 10, thumbnailHeight: 10 },
          },
          select: { id: true, sha256: true },
        }),
      );
    }
    await t.db.$transaction(async (tx) => {
      const links = created.map((image) => ({ imageId: image.id, synsetId: synset.id, state: "verified" as const }));
      await tx.imageLink.createMany({ data: links });
      await applyNewLinkCounts(tx, links);
    });
    return created;
  }

  it("marks in-sample exactly the images of the version's train split, and re-derives it when a batch is re-sent", async () => {
    const inVersion = await verifiedImages(10, MALTESE);
    const [outside] = await verifiedImages(1, TABBY);
    const version = await createDatasetVersion(
      t.db,
      { name: "maltese", classes: { kind: "wnids", wnids: [MALTESE] }, splits: { mode: "counts", val: 2, test: 2 } },
      OPERATOR,
    );
    const splitOf = new Map(
      (await t.db.datasetItem.findMany({ where: { versionId: version.id } })).map((item) => [item.imageId, item.split]),
    );
    expect([...splitOf.values()].filter((s) => s === "train")).toHaveLength(6);
    const trained = await createModel(
      t.db,
      { name: "on maltese", architecture: "resnet", datasetVersionId: version.id, classes: [MALTESE] },
      null,
    );
    const untied = await createModel(t.db, { name: "no version", architecture: "resnet" }, null);
    // By sha256 for some lines, by id for others: both resolve the image before the lookup.
    const batch = [...inVersion, outside as { id: number; sha256: string }]
      .map((image, i) =>
        JSON.stringify(
          i % 2 === 0
            ? { imageId: image.id, wnid: MALTESE, score: 0.9 }
            : { sha256: image.sha256, wnid: MALTESE, score: 0.9 },
        ),
      )
      .join("\n");
    for (const modelId of [Number(trained.id), Number(untied.id)]) {
      expect(await recordPredictions(t.db, modelId, batch, OPERATOR)).toMatchObject({ accepted: 11 });
    }
    const inTrainingOf = async (modelId: number) =>
      new Map(
        (await t.db.prediction.findMany({ where: { modelId }, select: { imageId: true, inTraining: true } })).map(
          (p) => [p.imageId, p.inTraining],
        ),
      );
    const trainedFlags = await inTrainingOf(Number(trained.id));
    for (const image of inVersion)
      expect(trainedFlags.get(image.id), `image ${image.id}`).toBe(splitOf.get(image.id) === "train");
    expect(trainedFlags.get(outside?.id as number)).toBe(false);
    // A model registered without its dataset version has trained on nothing Arbor knows of.
    expect([...(await inTrainingOf(Number(untied.id))).values()].every((flag) => flag === false)).toBe(true);

    // A stale flag (as if stored before the version was known) is corrected by the same batch sent again.
    await t.db.prediction.updateMany({ where: { modelId: Number(trained.id) }, data: { inTraining: false } });
    await recordPredictions(t.db, Number(trained.id), batch, OPERATOR);
    expect(await inTrainingOf(Number(trained.id))).toEqual(trainedFlags);
  });
});

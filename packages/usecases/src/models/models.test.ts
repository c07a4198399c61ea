import { useTestDatabase } from "@arbor/db/testing";
import type { BlobStore } from "@arbor/storage";
import { beforeAll, describe, expect, it } from "vitest";
import { createDatasetVersion } from "../datasets/create-dataset-version.ts";
import { CIFAR_WNIDS, ingestCifarSubset } from "../datasets/dataset-fixtures.ts";
import { DatasetInputError } from "../datasets/dataset-input-error.ts";
import { createModel } from "./create-model.ts";
import { getModel, listImagePredictions, listModels } from "./get-model.ts";
import { listModelArtifacts, storeModelArtifact } from "./model-artifacts.ts";
import { recordPredictions } from "./record-predictions.ts";

describe("model registry and predictions (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");
  let images: Array<{ id: number; sha256: string }>;
  let blobs: BlobStore;
  beforeAll(async () => {
    ({ blobs } = await ingestCifarSubset(t.db, 3));
    images = await t.db.image.findMany({ select: { id: true, sha256: true }, orderBy: { id: "asc" } });
  }, 120_000);

  it("registers a model with its curve, linked to a dataset version", async () => {
    const version = await createDatasetVersion(
      t.db,
      { name: "m", classes: { kind: "wnids", wnids: [CIFAR_WNIDS.cat] } },
      null,
    );
    const { id } = await createModel(
      t.db,
      {
        name: "resnet20 on cifar",
        architecture: "resnet20",
        datasetVersionId: version.id,
        metrics: { top1Error: 0.2 },
        curve: [
          { epoch: 1, loss: 2 },
          { epoch: 2, loss: 1.5 },
        ],
        classes: Object.values(CIFAR_WNIDS),
      },
      null,
    );
    const model = await getModel(t.db, id);
    expect(model).toMatchObject({ architecture: "resnet20", dataset: "m v1", classCount: 4, predictions: 0 });
    expect(model?.curve).toHaveLength(2);
    expect((await listModels(t.db)).map((m) => m.id)).toContain(id);
    await expect(createModel(t.db, { name: "x", architecture: "y", datasetVersionId: 99999 }, null)).rejects.toThrow(
      /no dataset version/,
    );
  });

  it("stores predictions idempotently, by image id or sha256, and shows them per image", async () => {
    const { id } = await createModel(t.db, { name: "p", architecture: "vgg" }, null);
    const [a, b] = images as [{ id: number; sha256: string }, { id: number; sha256: string }];
    const batch = [
      { sha256: a.sha256, wnid: CIFAR_WNIDS.cat, score: 0.7 },
      { sha256: a.sha256, wnid: CIFAR_WNIDS.bird, score: 0.2 },
      { imageId: b.id, wnid: CIFAR_WNIDS.airplane, score: 0.9 },
      { sha256: "f".repeat(64), wnid: CIFAR_WNIDS.cat, score: 0.5 },
      { imageId: b.id, wnid: "n99999999", score: 0.1 },
    ]
      .map((line) => JSON.stringify(line))
      .join("\n");
    expect(await recordPredictions(t.db, id, batch)).toEqual({ accepted: 3, unknownImages: 1, unknownWnids: 1 });
    // the same batch again (a client retry) stores nothing twice
    expect(await recordPredictions(t.db, id, batch)).toMatchObject({ accepted: 3 });
    expect(await t.db.prediction.count({ where: { modelId: id } })).toBe(3);
    const shown = await listImagePredictions(t.db, a.id);
    expect(shown).toEqual([
      expect.objectContaining({
        modelId: id,
        predictions: [
          expect.objectContaining({ wnid: CIFAR_WNIDS.cat }),
          expect.objectContaining({ wnid: CIFAR_WNIDS.bird }),
        ],
      }),
    ]);
    expect(await recordPredictions(t.db, 99999, batch)).toBeNull();
  });

  it("keeps a model's files in the blob store, one file name each", async () => {
    const { id } = await createModel(t.db, { name: "files", architecture: "vgg" }, null);
    const deps = { db: t.db, blobs };
    expect(await storeModelArtifact(deps, id, "weights.bin", Buffer.alloc(2048, 7))).toEqual({
      name: "weights.bin",
      bytes: 2048,
    });
    await storeModelArtifact(deps, id, "model.json", Buffer.from("{}"));
    const listed = await listModelArtifacts(deps, id);
    expect(listed?.map((a) => [a.name, a.bytes])).toEqual([
      ["model.json", 2],
      ["weights.bin", 2048],
    ]);
    expect(listed?.[0]?.url).toContain(`/api/v1/blobs/models/${id}/model.json`);
    await expect(storeModelArtifact(deps, id, "../escape", Buffer.from("x"))).rejects.toThrow(/one file name/);
    expect(await storeModelArtifact(deps, 999999, "a.bin", Buffer.from("x"))).toBeNull();
  });

  it("rejects a malformed batch whole, naming the line", async () => {
    const { id } = await createModel(t.db, { name: "bad", architecture: "vgg" }, null);
    const good = JSON.stringify({ imageId: images[0]?.id, wnid: CIFAR_WNIDS.cat, score: 0.5 });
    await expect(recordPredictions(t.db, id, `${good}\n{nope`)).rejects.toThrow(/line 2 is not JSON/);
    await expect(
      recordPredictions(t.db, id, `${good}\n${JSON.stringify({ wnid: CIFAR_WNIDS.cat, score: 2 })}`),
    ).rejects.toThrow(DatasetInputError);
    await expect(recordPredictions(t.db, id, Array(5001).fill(good).join("\n"))).rejects.toThrow(/at most 5000/);
    expect(await t.db.prediction.count({ where: { modelId: id } })).toBe(0);
  });
});

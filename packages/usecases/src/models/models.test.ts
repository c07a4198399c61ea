import { useTestDatabase } from "@arbor/db/testing";
import type { BlobStore } from "@arbor/storage";
import { beforeAll, describe, expect, it } from "vitest";
import { createDatasetVersion } from "../datasets/create-dataset-version.ts";
import { CIFAR_WNIDS, ingestCifarSubset } from "../datasets/dataset-fixtures.ts";
import { UseCaseError } from "../errors.ts";
import { type Actor, OPERATOR } from "../restrictions/viewer.ts";
import { createModel } from "./create-model.ts";
import { getModel, listImagePredictions, listModels } from "./get-model.ts";
import { listModelArtifacts, storeModelArtifact } from "./model-artifacts.ts";
import { recordPredictions } from "./record-predictions.ts";

describe("model registry and predictions (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");
  let images: Array<{ id: number; sha256: string }>;
  let blobs: BlobStore;
  /** A researcher who registers the models below, and another one. */
  let owner: Actor;
  let researcher: Actor;
  beforeAll(async () => {
    ({ blobs } = await ingestCifarSubset(t.db, 3));
    images = await t.db.image.findMany({ select: { id: true, sha256: true }, orderBy: { id: "asc" } });
    const [a, b] = await Promise.all(
      ["owner", "other"].map((name) =>
        t.db.user.create({
          data: { email: `${name}@models.test`, passwordHash: "unused", roles: ["researcher"] },
          select: { id: true, roles: true },
        }),
      ),
    );
    [owner, researcher] = [a as Actor, b as Actor];
  }, 120_000);

  it("registers a model with its curve, linked to a dataset version", async () => {
    const version = await createDatasetVersion(
      t.db,
      { name: "m", classes: { kind: "wnids", wnids: [CIFAR_WNIDS.cat] } },
      OPERATOR,
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
    expect(model.curve).toHaveLength(2);
    expect((await listModels(t.db)).map((m) => m.id)).toContain(id);
    await expect(
      createModel(t.db, { name: "x", architecture: "y", datasetVersionId: 99999 }, null),
    ).rejects.toMatchObject({ kind: "invalid", message: "no dataset version 99999" });
    await expect(createModel(t.db, { name: "x", architecture: "" }, null)).rejects.toMatchObject({
      kind: "invalid",
      message: expect.stringMatching(/^architecture: /),
    });
    await expect(getModel(t.db, 99999)).rejects.toMatchObject({ kind: "not-found", message: "no model 99999" });
    // an id past PostgreSQL's integer is refused as input, not sent to the database
    await expect(
      createModel(t.db, { name: "x", architecture: "y", datasetVersionId: 2 ** 40 }, null),
    ).rejects.toMatchObject({ kind: "invalid", message: expect.stringMatching(/^datasetVersionId: /) });
  });

  it("names each class by its head lemma, leaving out wnids WordNet does not have", async () => {
    const classes = [CIFAR_WNIDS.cat, "n99999999", CIFAR_WNIDS.cat];
    const { id } = await createModel(t.db, { name: "lemmas", architecture: "vgg", classes }, null);
    const cat = await t.db.synset.findUniqueOrThrow({ where: { wnid: CIFAR_WNIDS.cat } });
    const model = await getModel(t.db, id);
    expect(model.classes).toEqual(classes);
    expect(model.classLemmas).toEqual({ [CIFAR_WNIDS.cat]: cat.lemmas[0] });
    const none = await createModel(t.db, { name: "no classes", architecture: "vgg" }, null);
    expect((await getModel(t.db, none.id)).classLemmas).toEqual({});
  });

  it("stores predictions idempotently, by image id or sha256, and shows them per image", async () => {
    const { id } = await createModel(t.db, { name: "p", architecture: "vgg" }, owner.id);
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
    expect(await recordPredictions(t.db, id, batch, owner)).toEqual({ accepted: 3, unknownImages: 1, unknownWnids: 1 });
    // the same batch again (a client retry) stores nothing twice
    expect(await recordPredictions(t.db, id, batch, owner)).toMatchObject({ accepted: 3 });
    expect(await t.db.prediction.count({ where: { modelId: id } })).toBe(3);
    const shown = await listImagePredictions(t.db, a.id, researcher);
    expect(shown).toEqual([
      expect.objectContaining({
        modelId: id,
        predictions: [
          expect.objectContaining({ wnid: CIFAR_WNIDS.cat }),
          expect.objectContaining({ wnid: CIFAR_WNIDS.bird }),
        ],
      }),
    ]);
    await expect(recordPredictions(t.db, 99999, batch, owner)).rejects.toMatchObject({
      kind: "not-found",
      message: "no model 99999",
    });
    // an image no model has spoken about has none; one that does not exist is not found
    expect(await listImagePredictions(t.db, images[2]?.id as number, researcher)).toEqual([]);
    await expect(listImagePredictions(t.db, 999_999, researcher)).rejects.toMatchObject({ kind: "not-found" });
  });

  it("keeps a model's files in the blob store, one file name each", async () => {
    const { id } = await createModel(t.db, { name: "files", architecture: "vgg" }, owner.id);
    const deps = { db: t.db, blobs };
    expect(await storeModelArtifact(deps, id, "weights.bin", Buffer.alloc(2048, 7), owner)).toEqual({
      name: "weights.bin",
      bytes: 2048,
    });
    await storeModelArtifact(deps, id, "model.json", Buffer.from("{}"), owner);
    const listed = await listModelArtifacts(deps, id);
    expect(listed?.map((a) => [a.name, a.bytes])).toEqual([
      ["model.json", 2],
      ["weights.bin", 2048],
    ]);
    expect(listed?.[0]?.url).toContain(`/api/v1/blobs/models/${id}/model.json`);
    await expect(storeModelArtifact(deps, id, "../escape", Buffer.from("x"), owner)).rejects.toMatchObject({
      kind: "invalid",
      message: expect.stringMatching(/one file name/),
    });
    await expect(storeModelArtifact(deps, 999999, "a.bin", Buffer.from("x"), owner)).rejects.toMatchObject({
      kind: "not-found",
    });
    await expect(listModelArtifacts(deps, 999999)).rejects.toMatchObject({ kind: "not-found" });
  });

  it("streams a request body into the blob store, and stores nothing when the stream fails", async () => {
    const { id } = await createModel(t.db, { name: "streamed", architecture: "vgg" }, owner.id);
    const deps = { db: t.db, blobs };
    const chunks = [new Uint8Array(1000).fill(1), new Uint8Array(24).fill(2)];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });
    expect(await storeModelArtifact(deps, id, "weights.bin", body, owner)).toEqual({
      name: "weights.bin",
      bytes: 1024,
    });
    // A capped request stream errors with the cap's UseCaseError: that is what the upload fails with.
    const capped = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(10));
        controller.error(new UseCaseError("too-large", "the body is over the 2 GB limit"));
      },
    });
    await expect(storeModelArtifact(deps, id, "huge.bin", capped, owner)).rejects.toMatchObject({ kind: "too-large" });
    expect((await listModelArtifacts(deps, id)).map((a) => a.name)).toEqual(["weights.bin"]);
  });

  it("lets only a model's owner or an admin upload its files and push its predictions", async () => {
    const { id } = await createModel(t.db, { name: "mine", architecture: "vgg" }, owner.id);
    const deps = { db: t.db, blobs };
    const line = JSON.stringify({ imageId: images[0]?.id, wnid: CIFAR_WNIDS.cat, score: 0.99 });
    await storeModelArtifact(deps, id, "model.json", Buffer.from('{"by":"owner"}'), owner);
    // Another researcher can neither overwrite the file nor speak for the model.
    await expect(
      storeModelArtifact(deps, id, "model.json", Buffer.from('{"by":"intruder"}'), researcher),
    ).rejects.toMatchObject({
      kind: "forbidden",
      message: `model ${id} belongs to someone else: only its owner or an admin may change it`,
    });
    await expect(recordPredictions(t.db, id, line, researcher)).rejects.toMatchObject({ kind: "forbidden" });
    const file = await blobs.getStream(`models/${id}/model.json`);
    let text = "";
    for await (const chunk of file) text += chunk.toString();
    expect(text).toBe('{"by":"owner"}');
    expect(await t.db.prediction.count({ where: { modelId: id } })).toBe(0);
    // The owner and an admin may; a model the operator registered (no owner) is an admin's to change.
    expect(await recordPredictions(t.db, id, line, owner)).toMatchObject({ accepted: 1 });
    const admin: Actor = { id: researcher.id, roles: ["researcher", "admin"] };
    expect(await storeModelArtifact(deps, id, "weights.bin", Buffer.alloc(4), admin)).toMatchObject({ bytes: 4 });
    const unowned = await createModel(t.db, { name: "operator's", architecture: "vgg" }, null);
    await expect(recordPredictions(t.db, unowned.id, line, owner)).rejects.toMatchObject({ kind: "forbidden" });
    expect(await recordPredictions(t.db, unowned.id, line, OPERATOR)).toMatchObject({ accepted: 1 });
  });

  it("rejects a malformed batch whole, naming the line", async () => {
    const { id } = await createModel(t.db, { name: "bad", architecture: "vgg" }, owner.id);
    const good = JSON.stringify({ imageId: images[0]?.id, wnid: CIFAR_WNIDS.cat, score: 0.5 });
    await expect(recordPredictions(t.db, id, `${good}\n{nope`, owner)).rejects.toMatchObject({
      kind: "invalid",
      message: "line 2 is not JSON",
    });
    const outOfRange = JSON.stringify({ imageId: images[0]?.id, wnid: CIFAR_WNIDS.cat, score: 2 });
    await expect(recordPredictions(t.db, id, `${good}\n${outOfRange}`, owner)).rejects.toMatchObject({
      kind: "invalid",
      message: expect.stringMatching(/^line 2: score: /),
    });
    await expect(
      recordPredictions(t.db, id, `${good}\n${JSON.stringify({ wnid: CIFAR_WNIDS.cat, score: 0.5 })}`, owner),
    ).rejects.toMatchObject({ kind: "invalid", message: "line 2: each line needs imageId or sha256" });
    const hugeId = JSON.stringify({ imageId: 2 ** 40, wnid: CIFAR_WNIDS.cat, score: 0.5 });
    await expect(recordPredictions(t.db, id, `${good}\n${hugeId}`, owner)).rejects.toMatchObject({
      kind: "invalid",
      message: expect.stringMatching(/^line 2: imageId: /),
    });
    await expect(recordPredictions(t.db, id, Array(5001).fill(good).join("\n"), owner)).rejects.toMatchObject({
      kind: "invalid",
      message: expect.stringMatching(/at most 5000/),
    });
    expect(await t.db.prediction.count({ where: { modelId: id } })).toBe(0);
  });
});

import { useTestDatabase } from "@arbor/db/testing";
import { describe, expect, it } from "vitest";
import { createModel } from "./create-model.ts";
import { getModel, listModels } from "./get-model.ts";

const SHA = "a".repeat(64);

describe("fine-tuned models record their parent (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");

  it("links a registered parent by id and names it as the registry does", async () => {
    const base = await createModel(t.db, { name: "pre-trained on six", architecture: "resnet8" }, null);
    const { id } = await createModel(
      t.db,
      { name: "fine-tuned on four", architecture: "resnet8", parent: { id: base.id, name: "run-pre", sha256: SHA } },
      null,
    );
    expect((await getModel(t.db, id)).parent).toEqual({ id: base.id, name: "pre-trained on six", sha256: SHA });
    expect((await getModel(t.db, base.id)).parent).toBeNull();
    expect((await listModels(t.db)).find((m) => m.id === id)?.parent?.id).toBe(base.id);
  });

  it("keeps a parent trained elsewhere by the trainer's name and hash, and after the parent is deleted", async () => {
    const foreign = await createModel(
      t.db,
      { name: "from keras", architecture: "resnet8", parent: { name: "keras-mobilenet", sha256: SHA } },
      null,
    );
    expect((await getModel(t.db, foreign.id)).parent).toEqual({ id: null, name: "keras-mobilenet", sha256: SHA });

    const base = await createModel(t.db, { name: "short-lived", architecture: "resnet8" }, null);
    const child = await createModel(
      t.db,
      { name: "orphan", architecture: "resnet8", parent: { id: base.id, name: "run-short" } },
      null,
    );
    await t.db.model.delete({ where: { id: base.id } });
    expect((await getModel(t.db, child.id)).parent).toEqual({ id: null, name: "run-short", sha256: null });
  });

  it("refuses an unknown parent id and a malformed parent as invalid", async () => {
    await expect(
      createModel(t.db, { name: "x", architecture: "y", parent: { id: 99_999, name: "gone" } }, null),
    ).rejects.toMatchObject({ kind: "invalid", message: expect.stringContaining("parent: no model 99999") });
    await expect(
      createModel(t.db, { name: "x", architecture: "y", parent: { name: "p", sha256: "xyz" } }, null),
    ).rejects.toMatchObject({ kind: "invalid" });
    await expect(
      createModel(t.db, { name: "x", architecture: "y", parent: { name: " " } }, null),
    ).rejects.toMatchObject({
      kind: "invalid",
    });
  });
});

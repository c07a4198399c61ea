import { useTestDatabase } from "@arbor/db/testing";
import { describe, expect, it } from "vitest";
import { createDatasetVersion } from "../datasets/create-dataset-version.ts";
import { OPERATOR } from "../restrictions/viewer.ts";
import { candidatesFixture, SHIH_TZU } from "./candidates-fixture.ts";

describe("dataset versions keep model-verified images out of val and test (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");
  const { images, link, model } = candidatesFixture(t);

  it("puts model-verified images and their near-duplicates in train, unless the definition opts in", async () => {
    const m = await model("auto-accepter");
    const people = await images(12);
    const byModel = await images(8);
    // One image people verified, a near-duplicate of one the model verified: it must follow it into train.
    const [twinOfModel, twinOfPeople] = (await images(2, 0x1234_5678_9abc_def0n)) as [number, number];
    await link([...people, twinOfPeople], SHIH_TZU, "verified");
    await link([...byModel, twinOfModel], SHIH_TZU, "verified", { modelVerifiedById: m });
    const definition = {
      name: "shih-tzu",
      classes: { kind: "wnids" as const, wnids: [SHIH_TZU] },
      splits: { mode: "counts" as const, val: 3, test: 3 },
    };
    const splitsOf = async (versionId: number) =>
      new Map(
        (await t.db.datasetItem.findMany({ where: { versionId }, select: { imageId: true, split: true } })).map((i) => [
          i.imageId,
          i.split,
        ]),
      );

    const strict = await createDatasetVersion(t.db, definition, OPERATOR);
    const strictSplits = await splitsOf(strict.id);
    expect(strictSplits.size).toBe(22);
    for (const id of [...byModel, twinOfModel, twinOfPeople]) expect(strictSplits.get(id), `image ${id}`).toBe("train");
    // The quotas are met from the images people verified.
    expect(strict.report.counts).toEqual({ train: 16, val: 3, test: 3 });
    expect(strict.report.leakage.pairs).toBe(0);

    const open = await createDatasetVersion(t.db, { ...definition, modelVerifiedInEval: true }, OPERATOR);
    const openSplits = await splitsOf(open.id);
    expect(open.report.counts).toEqual({ train: 16, val: 3, test: 3 });
    // Opted in, the split ignores who verified: with this seed some model-verified image lands in val or test.
    expect(byModel.some((id) => openSplits.get(id) !== "train")).toBe(true);
  });
});

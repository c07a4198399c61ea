import { useTestDatabase } from "@arbor/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { OPERATOR } from "../restrictions/viewer.ts";
import { createDatasetVersion } from "./create-dataset-version.ts";
import { CIFAR_WNIDS, ingestCifarSubset } from "./dataset-fixtures.ts";
import { diffDatasetVersions } from "./diff-dataset-versions.ts";
import { findLeaks } from "./find-leaks.ts";
import { getDatasetVersion } from "./get-dataset-version.ts";
import { previewClassSet } from "./preview-class-set.ts";

const { airplane, automobile, bird, cat } = CIFAR_WNIDS;
const MOTOR_VEHICLE = "n03791235"; // an ancestor of automobile (car)

describe("dataset versions (real PostgreSQL, real CIFAR-10 images)", () => {
  const t = useTestDatabase("arbor_wordnet");
  beforeAll(async () => {
    await ingestCifarSubset(t.db, 30);
  }, 120_000);

  const splitsOf = async (versionId: number) =>
    new Map(
      (
        await t.db.$queryRaw<{ sha256: string; split: string }[]>`
          SELECT i.sha256, d.split::text AS split FROM dataset_item d JOIN image i ON i.id = d.image_id
          WHERE d.version_id = ${versionId}`
      ).map((r) => [r.sha256, r.split]),
    );

  it("freezes a stratified version, numbered per dataset, with the near-duplicates in one split", async () => {
    const v = await createDatasetVersion(
      t.db,
      {
        name: "cifar-a",
        classes: { kind: "wnids", wnids: [bird, airplane, automobile] },
        seed: 7,
        splits: { mode: "fractions", train: 0.6, val: 0.2, test: 0.2 },
      },
      OPERATOR,
    );
    expect(v).toMatchObject({ number: 1, classCount: 3, imageCount: 91 });
    expect(v.report.nearDuplicateGroups).toBe(1);
    expect(v.report.leakage.pairs).toBe(0);
    const detail = await getDatasetVersion(t.db, v.id, OPERATOR);
    // classes are ordered by wnid (ILSVRC's convention), each split within ±1 of the spec
    expect(detail?.classes.map((c) => c.wnid)).toEqual([bird, airplane, automobile].sort());
    for (const c of detail?.classes ?? []) {
      const n = c.train + c.val + c.test;
      expect(Math.abs(c.val - 0.2 * n)).toBeLessThanOrEqual(1);
      expect(Math.abs(c.test - 0.2 * n)).toBeLessThanOrEqual(1);
    }
    expect(detail?.leakage.pairs).toBe(0);
    const again = await createDatasetVersion(
      t.db,
      { name: "cifar-a", classes: { kind: "wnids", wnids: [bird] } },
      OPERATOR,
    );
    expect(again.number).toBe(2);
  });

  it("puts every image shared by two versions with the same seed in the same split", async () => {
    const spec = { seed: 11, splits: { mode: "counts" as const, val: 5, test: 5 } };
    const a = await createDatasetVersion(
      t.db,
      { name: "overlap-a", classes: { kind: "wnids", wnids: [airplane, bird] }, ...spec },
      OPERATOR,
    );
    const b = await createDatasetVersion(
      t.db,
      { name: "overlap-b", classes: { kind: "wnids", wnids: [bird, cat] }, ...spec },
      OPERATOR,
    );
    const [sa, sb] = [await splitsOf(a.id), await splitsOf(b.id)];
    const shared = [...sa.keys()].filter((sha) => sb.has(sha));
    expect(shared.length).toBe(30);
    for (const sha of shared) expect(sb.get(sha)).toBe(sa.get(sha));
    const diff = await diffDatasetVersions(t.db, a.id, b.id, OPERATOR);
    expect(diff).toMatchObject({
      classesAdded: [cat],
      classesRemoved: [airplane],
      imagesAdded: 30,
      imagesRemoved: 31,
      unchanged: 30,
    });
  });

  it("reports ancestor/descendant classes, and drops the side asked for", async () => {
    const definition = {
      name: "vehicles",
      classes: { kind: "wnids" as const, wnids: [automobile, MOTOR_VEHICLE] },
      includeDescendants: true,
    };
    const preview = await previewClassSet(t.db, definition, OPERATOR);
    expect(preview.conflicts).toEqual([{ ancestor: MOTOR_VEHICLE, descendant: automobile }]);
    await expect(createDatasetVersion(t.db, definition, OPERATOR)).rejects.toMatchObject({
      kind: "unprocessable",
      message: expect.stringMatching(/ancestors of other classes/),
      detail: { conflicts: [{ ancestor: MOTOR_VEHICLE, descendant: automobile }] },
    });
    const kept = await createDatasetVersion(t.db, { ...definition, conflicts: "drop-descendants" }, OPERATOR);
    const detail = await getDatasetVersion(t.db, kept.id, OPERATOR);
    // motor vehicle takes its descendants' verified images (the automobiles)
    expect(detail?.classes).toEqual([expect.objectContaining({ wnid: MOTOR_VEHICLE })]);
    expect(kept.imageCount).toBe(30);
  });

  it("applies caps and minimums deterministically, and refuses what cannot be frozen", async () => {
    const capped = await createDatasetVersion(
      t.db,
      { name: "capped", classes: { kind: "wnids", wnids: [cat, bird] }, maxPerClass: 10, seed: 3 },
      OPERATOR,
    );
    expect(capped.imageCount).toBe(20);
    expect(capped.report.cappedImages).toBe(40);
    const again = await createDatasetVersion(
      t.db,
      { name: "capped", classes: { kind: "wnids", wnids: [cat, bird] }, maxPerClass: 10, seed: 3 },
      OPERATOR,
    );
    expect([...(await splitsOf(again.id))].sort()).toEqual([...(await splitsOf(capped.id))].sort());
    const few = await createDatasetVersion(
      t.db,
      { name: "few", classes: { kind: "wnids", wnids: [cat, "n02084071"] }, minPerClass: 5 },
      OPERATOR,
    );
    expect(few.report.droppedTooFew).toEqual([{ wnid: "n02084071", available: 0 }]);
    await expect(
      createDatasetVersion(t.db, { name: "bad", classes: { kind: "wnids", wnids: ["n99999999"] } }, OPERATOR),
    ).rejects.toMatchObject({ kind: "unprocessable", detail: { unknownWnids: ["n99999999"] } });
    await expect(
      previewClassSet(t.db, { name: "bad", classes: { kind: "subtree", roots: ["n99999999"] } }, OPERATOR),
    ).rejects.toMatchObject({ kind: "unprocessable", message: "unknown root wnid(s): n99999999" });
    await expect(
      createDatasetVersion(t.db, { name: "none", classes: { kind: "wnids", wnids: ["n02084071"] } }, OPERATOR),
    ).rejects.toMatchObject({ kind: "unprocessable", message: "no class has enough usable images" });
    await expect(
      createDatasetVersion(t.db, { name: "../x", classes: { kind: "wnids", wnids: [cat] } }, OPERATOR),
    ).rejects.toMatchObject({ kind: "invalid", message: expect.stringMatching(/^name: use letters/) });
    await expect(
      previewClassSet(
        t.db,
        {
          name: "bad-splits",
          classes: { kind: "wnids", wnids: [cat] },
          splits: { mode: "fractions", train: 0.5, val: 0.1, test: 0.1 },
        },
        OPERATOR,
      ),
    ).rejects.toMatchObject({ kind: "invalid", message: "splits: train + val + test must sum to 1" });
    expect((await t.db.dataset.findMany({ where: { name: { in: ["bad", "none"] } } })).length).toBe(0);
  });

  it("builds the ILSVRC-2012 preset and subtree class sets", async () => {
    const ilsvrc = await previewClassSet(t.db, { name: "ilsvrc", classes: { kind: "ilsvrc2012" } }, OPERATOR);
    // none of the four CIFAR synsets is an ILSVRC-2012 class, so nothing has images yet
    expect(ilsvrc.classes).toHaveLength(0);
    expect(ilsvrc.droppedTooFew).toHaveLength(1000);
    const animals = await previewClassSet(
      t.db,
      {
        name: "animals",
        classes: { kind: "subtree", roots: ["n00015388"], minImages: 1 },
      },
      OPERATOR,
    );
    expect(animals.classes.map((c) => c.wnid).sort()).toEqual([bird, cat].sort());
  });

  it("never changes a frozen version, and numbers concurrent freezes in turn", async () => {
    const v = await createDatasetVersion(t.db, { name: "frozen", classes: { kind: "wnids", wnids: [cat] } }, OPERATOR);
    await expect(t.db.$executeRaw`UPDATE dataset_item SET split = 'train' WHERE version_id = ${v.id}`).rejects.toThrow(
      /immutable/,
    );
    await expect(t.db.$executeRaw`UPDATE dataset_version SET number = 9 WHERE id = ${v.id}`).rejects.toThrow(
      /immutable/,
    );
    const racing = await Promise.all(
      [1, 2, 3].map(() =>
        createDatasetVersion(t.db, { name: "racing", classes: { kind: "wnids", wnids: [cat] } }, OPERATOR),
      ),
    );
    expect(racing.map((r) => r.number).sort()).toEqual([1, 2, 3]);
    expect((await findLeaks(t.db, racing[0]?.id ?? 0, OPERATOR)).pairs).toBe(0);
  });

  it("answers not-found for a version that does not exist", async () => {
    const v = await createDatasetVersion(t.db, { name: "lonely", classes: { kind: "wnids", wnids: [cat] } }, OPERATOR);
    await expect(getDatasetVersion(t.db, 999999, OPERATOR)).rejects.toMatchObject({
      kind: "not-found",
      message: "no dataset version 999999",
    });
    await expect(diffDatasetVersions(t.db, v.id, 999999, OPERATOR)).rejects.toMatchObject({
      kind: "not-found",
      message: "no dataset version 999999",
    });
    await expect(diffDatasetVersions(t.db, 999998, v.id, OPERATOR)).rejects.toMatchObject({ kind: "not-found" });
  });
});

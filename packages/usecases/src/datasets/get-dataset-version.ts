import { datasetDefinitionSchema, type Split } from "@arbor/core";
import type { Db } from "@arbor/db";
import { notFound } from "../errors.ts";
import { toExportSummary } from "../exports/to-export-summary.ts";
import { mayChange, restrictedLabelledSplits } from "../restrictions/ownership.ts";
import type { Actor } from "../restrictions/viewer.ts";
import type { DatasetVersionDetail } from "./dataset-schemas.ts";
import { findLeaks } from "./find-leaks.ts";

/**
 * A version with its definition, freeze report, per-class split counts, live leakage check and exports, as
 * `viewer` may see it: which of its splits are restricted, which labels are withheld from the viewer, and
 * whether they may freeze further versions of its dataset.
 */
export async function getDatasetVersion(db: Db, id: number, viewer: Actor): Promise<DatasetVersionDetail> {
  const version = await db.datasetVersion.findUnique({
    where: { id },
    include: {
      dataset: {
        select: {
          name: true,
          createdById: true,
          versions: { select: { id: true, number: true }, orderBy: { number: "asc" } },
        },
      },
      createdBy: { select: { email: true } },
      classes: { include: { synset: { select: { wnid: true, lemmas: true } } }, orderBy: { classIndex: "asc" } },
      exports: { orderBy: { id: "desc" } },
    },
  });
  if (!version) throw notFound(`no dataset version ${id}`);
  const counts = { train: 0, val: 0, test: 0 };
  for (const c of version.classes) {
    counts.train += c.train;
    counts.val += c.val;
    counts.test += c.test;
  }
  return {
    id: version.id,
    datasetId: version.datasetId,
    name: version.dataset.name,
    number: version.number,
    classCount: version.classCount,
    imageCount: version.imageCount,
    createdAt: version.createdAt.toISOString(),
    createdBy: version.createdBy?.email ?? null,
    definition: datasetDefinitionSchema.parse(version.definition),
    report: version.report as Record<string, unknown>,
    counts,
    classes: version.classes.map((c) => ({
      index: c.classIndex,
      wnid: c.synset.wnid,
      lemmas: c.synset.lemmas,
      train: c.train,
      val: c.val,
      test: c.test,
    })),
    leakage: await findLeaks(db, id, viewer),
    restrictedSplits: (
      await db.imageRestriction.groupBy({ by: ["split"], where: { datasetVersionId: id }, orderBy: { split: "asc" } })
    ).map((r) => r.split as Split),
    labelsWithheld: await restrictedLabelledSplits(db, viewer, id, false),
    mayAddVersions: mayChange(viewer, version.dataset.createdById),
    versions: version.dataset.versions,
    exports: version.exports.map(toExportSummary),
  };
}

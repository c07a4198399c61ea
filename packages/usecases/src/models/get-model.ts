import type { Db } from "@arbor/db";
import { notFound } from "../errors.ts";
import { assertMayBrowse, imageAccess } from "../restrictions/image-access.ts";
import type { Viewer } from "../restrictions/viewer.ts";
import type { ImagePredictions, ModelDetail, ModelSummary } from "./model-schemas.ts";

const include = {
  datasetVersion: { select: { number: true, dataset: { select: { name: true } } } },
  createdBy: { select: { email: true } },
  parent: { select: { id: true, name: true } },
  _count: { select: { predictions: true } },
} as const;

type Row = Awaited<ReturnType<typeof findModel>>;
const findModel = (db: Db, id: number) => db.model.findUnique({ where: { id }, include });

function summary(row: NonNullable<Row>): ModelSummary {
  return {
    id: row.id,
    name: row.name,
    architecture: row.architecture,
    datasetVersionId: row.datasetVersionId,
    dataset: row.datasetVersion ? `${row.datasetVersion.dataset.name} v${row.datasetVersion.number}` : null,
    metrics: row.metrics as Record<string, unknown>,
    classCount: row.classes.length,
    predictions: row._count.predictions,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy?.email ?? null,
    // A registered parent is named as the registry has it; a deleted or foreign one as the trainer named it.
    parent: row.parent
      ? { id: row.parent.id, name: row.parent.name, sha256: row.parentSha256 }
      : row.parentName
        ? { id: null, name: row.parentName, sha256: row.parentSha256 }
        : null,
  };
}

/** A model with its training curve and classes (each with its head lemma where WordNet has the wnid). */
export async function getModel(db: Db, id: number): Promise<ModelDetail> {
  const row = await findModel(db, id);
  if (!row) throw notFound(`no model ${id}`);
  return {
    ...summary(row),
    curve: row.curve as Array<Record<string, unknown>>,
    classes: row.classes,
    classLemmas: await headLemmas(db, row.classes),
  };
}

/** The first lemma of each wnid WordNet has (one array parameter, however many classes a model has). */
async function headLemmas(db: Db, wnids: readonly string[]): Promise<Record<string, string>> {
  if (wnids.length === 0) return {};
  const rows = await db.$queryRaw<{ wnid: string; lemma: string }[]>`
    SELECT wnid, coalesce(lemmas[1], wnid) AS lemma FROM synset WHERE wnid = ANY(${[...new Set(wnids)]}::text[])`;
  return Object.fromEntries(rows.map((r) => [r.wnid, r.lemma]));
}

export async function listModels(db: Db): Promise<ModelSummary[]> {
  const rows = await db.model.findMany({ include, orderBy: { id: "desc" }, take: 200 });
  return rows.map(summary);
}

/**
 * What each model says about an image: its top predictions, best first, newest model first (for the image
 * page); none is an empty list, an image that does not exist is `not-found`. A viewer who may not see the
 * image's labels (restricted for them, or only an annotator) gets an empty list: predictions are labels too.
 */
export async function listImagePredictions(
  db: Db,
  imageId: number,
  viewer: Viewer = null,
  perModel = 5,
): Promise<ImagePredictions[]> {
  assertMayBrowse(viewer);
  const access = await imageAccess(db, viewer, imageId);
  if (!access.labels) return [];
  const rows = await db.$queryRaw<{ model_id: number; name: string; wnid: string; lemmas: string[]; score: number }[]>`
    SELECT p.model_id, m.name, s.wnid, s.lemmas, p.score FROM (
      SELECT *, row_number() OVER (PARTITION BY model_id ORDER BY score DESC) AS r FROM prediction WHERE image_id = ${imageId}
    ) p JOIN model m ON m.id = p.model_id JOIN synset s ON s.id = p.synset_id
    WHERE p.r <= ${perModel}
    ORDER BY p.model_id DESC, p.score DESC`;
  const byModel = new Map<number, ImagePredictions>();
  for (const row of rows) {
    let entry = byModel.get(row.model_id);
    if (!entry) {
      entry = { modelId: row.model_id, modelName: row.name, predictions: [] };
      byModel.set(row.model_id, entry);
    }
    entry.predictions.push({ wnid: row.wnid, lemmas: row.lemmas, score: row.score });
  }
  return [...byModel.values()];
}

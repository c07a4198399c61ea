import type { Db } from "@arbor/db";
import type { ImagePredictions, ModelDetail, ModelSummary } from "./model-schemas.ts";

const include = {
  datasetVersion: { select: { number: true, dataset: { select: { name: true } } } },
  createdBy: { select: { email: true } },
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
  };
}

export async function getModel(db: Db, id: number): Promise<ModelDetail | null> {
  const row = await findModel(db, id);
  if (!row) return null;
  return { ...summary(row), curve: row.curve as Array<Record<string, unknown>>, classes: row.classes };
}

export async function listModels(db: Db): Promise<ModelSummary[]> {
  const rows = await db.model.findMany({ include, orderBy: { id: "desc" }, take: 200 });
  return rows.map(summary);
}

/** What each model says about an image: its top predictions, best first (for the image page). */
export async function listImagePredictions(db: Db, imageId: number, perModel = 5): Promise<ImagePredictions[]> {
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

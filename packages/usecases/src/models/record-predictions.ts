import type { Db } from "@arbor/db";
import { formatZodIssues, invalid } from "../errors.ts";
import type { Actor } from "../restrictions/viewer.ts";
import { assertMayChangeModel } from "./model-artifacts.ts";
import {
  MAX_PREDICTION_LINES,
  type PredictionLine,
  type PredictionsResult,
  predictionLineSchema,
} from "./model-schemas.ts";

/**
 * Stores a batch of a model's predictions (JSON lines). Idempotent: a (model, image, synset) sent again
 * overwrites its score, so a client may retry a batch after a timeout without double counting. Lines naming
 * images or synsets Arbor does not know are counted, not fatal; a malformed line rejects the batch (nothing
 * stored) with its line number. Only the model's owner (who registered it) or an admin may.
 *
 * Each prediction records whether its image is in the train split of the model's dataset version
 * (`inTraining`): such a score is in-sample (the model has seen the image with its label), so calibration,
 * auto-accept and label-error detection leave it out. A model registered without a dataset version has seen
 * nothing Arbor knows of, so all its predictions count as out-of-sample. A batch sent again re-derives it.
 */
export async function recordPredictions(
  db: Db,
  modelId: number,
  ndjson: string,
  actor: Actor,
): Promise<PredictionsResult> {
  await assertMayChangeModel(db, actor, modelId);
  const lines = ndjson.split("\n").filter((line) => line.trim() !== "");
  if (lines.length > MAX_PREDICTION_LINES) {
    throw invalid(`at most ${MAX_PREDICTION_LINES} lines per request (got ${lines.length}); send batches`);
  }
  const parsed: PredictionLine[] = lines.map((line, i) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw invalid(`line ${i + 1} is not JSON`);
    }
    const result = predictionLineSchema.safeParse(value);
    if (!result.success) throw invalid(`line ${i + 1}: ${formatZodIssues(result.error)}`);
    return result.data;
  });
  if (parsed.length === 0) return { accepted: 0, unknownImages: 0, unknownWnids: 0 };
  const { datasetVersionId } = await db.model.findUniqueOrThrow({
    where: { id: modelId },
    select: { datasetVersionId: true },
  });
  const rows = await db.$queryRaw<{ accepted: number; unknown_images: number; unknown_wnids: number }[]>`
    WITH input AS (
      SELECT * FROM unnest(${parsed.map((p) => p.imageId ?? null)}::int[], ${parsed.map((p) => p.sha256 ?? null)}::text[],
                           ${parsed.map((p) => p.wnid)}::text[], ${parsed.map((p) => p.score)}::real[]) AS t(image_id, sha256, wnid, score)
    ), resolved AS (
      SELECT coalesce(i1.id, i2.id) AS image_id, s.id AS synset_id, input.score
      FROM input
      LEFT JOIN image i1 ON i1.id = input.image_id
      LEFT JOIN image i2 ON input.image_id IS NULL AND i2.sha256 = input.sha256
      LEFT JOIN synset s ON s.wnid = input.wnid
    ), written AS (
      INSERT INTO prediction (model_id, image_id, synset_id, score, in_training)
      SELECT DISTINCT ON (image_id, synset_id) ${modelId}, image_id, synset_id, score,
        -- dataset_item's primary key (version_id, image_id): one lookup per line; no version, no match
        EXISTS (SELECT 1 FROM dataset_item d WHERE d.version_id = ${datasetVersionId}::int
                AND d.image_id = resolved.image_id AND d.split = 'train')
      FROM resolved
      WHERE image_id IS NOT NULL AND synset_id IS NOT NULL
      ORDER BY image_id, synset_id, score DESC
      ON CONFLICT (model_id, image_id, synset_id) DO UPDATE SET score = EXCLUDED.score,
        in_training = EXCLUDED.in_training
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM written)::int AS accepted,
           (SELECT count(*) FROM resolved WHERE image_id IS NULL)::int AS unknown_images,
           (SELECT count(*) FROM resolved WHERE image_id IS NOT NULL AND synset_id IS NULL)::int AS unknown_wnids`;
  const row = rows[0] as { accepted: number; unknown_images: number; unknown_wnids: number };
  return { accepted: row.accepted, unknownImages: row.unknown_images, unknownWnids: row.unknown_wnids };
}

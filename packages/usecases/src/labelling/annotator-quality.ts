import { type AnnotatorQuality, estimateAccuracy } from "@arbor/core";
import type { Db } from "@arbor/db";

type Reader = Pick<Db, "$queryRaw">;

/** Each annotator's accuracy on gold questions (Beta prior: few answers say little), and whether blocked. */
export async function annotatorQualities(
  db: Reader,
  annotatorIds?: readonly number[],
): Promise<Map<string, AnnotatorQuality>> {
  const rows = await db.$queryRaw<{ id: number; blocked: boolean; correct: number; total: number }[]>`
    SELECT u.id, u.blocked,
           count(v.id) FILTER (WHERE v.gold_correct)::int AS correct,
           count(v.id) FILTER (WHERE v.gold_correct IS NOT NULL)::int AS total
    FROM app_user u LEFT JOIN vote v ON v.annotator_id = u.id
    WHERE ${annotatorIds ?? null}::int[] IS NULL OR u.id = ANY(${annotatorIds ?? null}::int[])
    GROUP BY u.id`;
  return new Map(
    rows.map((r) => [String(r.id), { accuracy: estimateAccuracy(r.correct, r.total), blocked: r.blocked }]),
  );
}

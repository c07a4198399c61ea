import type { Db } from "@arbor/db";

/** Model uploads: the registration (metrics, curve, class list) and each predictions batch stay under this. */
export const MAX_MODEL_BODY_BYTES = 8 * 1024 * 1024;

/** A model file (weights, model.json) streamed into the blob store. */
export const MAX_ARTIFACT_BYTES = 2 * 1024 * 1024 * 1024;

/** The first lemma of each wnid (for a model's class list; wnids WordNet does not have are left out). */
export async function lemmasOf(db: Db, wnids: string[]): Promise<Map<string, string>> {
  if (wnids.length === 0) return new Map();
  const rows = await db.synset.findMany({ where: { wnid: { in: wnids } }, select: { wnid: true, lemmas: true } });
  return new Map(rows.map((r) => [r.wnid, r.lemmas[0] ?? r.wnid]));
}

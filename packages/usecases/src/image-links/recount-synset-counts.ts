import type { Db } from "@arbor/db";

export interface CountMismatch {
  wnid: string;
  column: string;
  stored: number;
  actual: number;
}

const COLUMNS = ["images", "candidates", "verified", "rejected", "subtree_images", "subtree_verified"] as const;

/**
 * Recounts every synset's image counts from the links themselves (one GROUP BY over links ⋈ closure) and
 * compares with the incrementally maintained synset_count. With `repair`, stored counts are overwritten.
 * The incremental path is the product; this is its proof (tests) and its repair tool (`arbor counts verify`).
 */
export async function recountSynsetCounts(db: Db, { repair = false } = {}): Promise<CountMismatch[]> {
  const actual = `
    SELECT s.id AS synset_id,
      coalesce(d.images, 0) AS images, coalesce(d.candidates, 0) AS candidates,
      coalesce(d.verified, 0) AS verified, coalesce(d.rejected, 0) AS rejected,
      coalesce(t.subtree_images, 0) AS subtree_images, coalesce(t.subtree_verified, 0) AS subtree_verified
    FROM synset s
    LEFT JOIN (SELECT synset_id, count(*) AS images,
                 count(*) FILTER (WHERE state = 'candidate') AS candidates,
                 count(*) FILTER (WHERE state = 'verified') AS verified,
                 count(*) FILTER (WHERE state = 'rejected') AS rejected
               FROM image_link GROUP BY synset_id) d ON d.synset_id = s.id
    LEFT JOIN (SELECT c.ancestor_id, count(DISTINCT l.image_id) AS subtree_images,
                 count(DISTINCT l.image_id) FILTER (WHERE l.state = 'verified') AS subtree_verified
               FROM image_link l JOIN synset_closure c ON c.descendant_id = l.synset_id
               GROUP BY c.ancestor_id) t ON t.ancestor_id = s.id`;
  const rows = await db.$queryRawUnsafe<({ wnid: string } & Record<string, number | string>)[]>(`
    SELECT s.wnid, ${COLUMNS.map((c) => `sc.${c} AS stored_${c}, a.${c}::int AS actual_${c}`).join(", ")}
    FROM (${actual}) a JOIN synset_count sc ON sc.synset_id = a.synset_id JOIN synset s ON s.id = a.synset_id
    WHERE ${COLUMNS.map((c) => `sc.${c} <> a.${c}`).join(" OR ")}`);
  const mismatches = rows.flatMap((row) =>
    COLUMNS.filter((c) => row[`stored_${c}`] !== row[`actual_${c}`]).map((column) => ({
      wnid: row.wnid,
      column,
      stored: Number(row[`stored_${column}`]),
      actual: Number(row[`actual_${column}`]),
    })),
  );
  if (repair && mismatches.length > 0) {
    await db.$executeRawUnsafe(`
      UPDATE synset_count sc SET ${COLUMNS.map((c) => `${c} = a.${c}`).join(", ")}
      FROM (${actual}) a WHERE sc.synset_id = a.synset_id`);
  }
  return mismatches;
}

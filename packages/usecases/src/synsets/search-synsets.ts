import { isWnid, normalizeSearchQuery, rankSearchHits, type SearchHit } from "@arbor/core";
import type { Db } from "@arbor/db";
import { loadHierarchy } from "./hierarchy-cache.ts";
import type { SynsetSearchQuery, SynsetSearchResult } from "./synset-schemas.ts";

interface HitRow {
  id: number;
  position: number;
  match: "exact" | "prefix" | "gloss";
}

/**
 * Finds synsets by wnid or text: exact lemma first, then lemma prefix, then words of the gloss (full-text).
 * The three text kinds are one statement (each part indexed); wnids, subtree sizes and the answer's names and
 * glosses come from the in-process hierarchy (hierarchy-cache.ts), so a search is one round trip; core's
 * rankSearchHits merges the hits.
 */
export async function searchSynsets(db: Db, { q, limit }: SynsetSearchQuery): Promise<SynsetSearchResult> {
  const hierarchy = await loadHierarchy(db);
  if (!hierarchy) return { items: [] };
  const text = normalizeSearchQuery(q);
  const hits: SearchHit[] = [];
  const candidate = q.trim().toLowerCase();
  const wnidHit = isWnid(candidate) ? hierarchy.byWnid.get(candidate) : undefined;
  if (wnidHit) hits.push({ id: wnidHit.id, match: "wnid", lemmaPosition: 0, subtreeSize: wnidHit.subtreeSize });
  if (text) {
    const prefix = `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // Gloss hits rank below every lemma hit, so when the wnid and lemma hits already fill the page the
    // full-text part is skipped, by a one-time filter inside the same statement. It ranks the stored
    // gloss_tsv (1 ms for "animal"'s 747 glosses; reparsing each gloss took 65 ms).
    // Prefix hits: the `limit` shortest keys, larger subtrees first among equal lengths. Only the keys up to
    // the limit-th shortest length look up their synset's subtree size: joining every match to synset made
    // PostgreSQL hash the whole table (82,115 rows), 61 ms for "sta" against 3 ms now.
    const rows = await db.$queryRaw<HitRow[]>`
      WITH prefixed AS MATERIALIZED (
        SELECT l.synset_id, l.position, length(l.key) AS len FROM synset_lemma l
        WHERE l.key LIKE ${prefix} AND l.key <> ${text}),
      lemma AS MATERIALIZED (
        (SELECT l.synset_id AS id, l.position, 'exact'::text AS match FROM synset_lemma l WHERE l.key = ${text})
        UNION ALL
        (SELECT p.synset_id, p.position, 'prefix' FROM prefixed p
          WHERE p.len <= coalesce((SELECT len FROM prefixed ORDER BY len OFFSET ${limit - 1} LIMIT 1), 2147483647)
          ORDER BY p.len, (SELECT s.subtree_size FROM synset s WHERE s.id = p.synset_id) DESC LIMIT ${limit}))
      SELECT id, position, match FROM lemma
      UNION ALL
      (SELECT id, 0, 'gloss' FROM synset
        WHERE (SELECT count(*) FROM (SELECT id FROM lemma UNION SELECT ${wnidHit?.id ?? null}::int) u
               WHERE u.id IS NOT NULL) < ${limit}
          AND gloss_tsv @@ plainto_tsquery('english', ${text})
        ORDER BY ts_rank(gloss_tsv, plainto_tsquery('english', ${text})) DESC, subtree_size DESC
        LIMIT ${limit})`;
    for (const row of rows) {
      const synset = hierarchy.byId.get(row.id);
      if (!synset) continue;
      hits.push({
        id: row.id,
        match: row.match,
        lemmaPosition: row.match === "gloss" ? 0 : row.position,
        subtreeSize: synset.subtreeSize,
      });
    }
  }
  return {
    items: rankSearchHits(hits, limit).flatMap((hit) => {
      const row = hierarchy.byId.get(hit.id);
      return row ? [{ wnid: row.wnid, lemmas: row.lemmas, gloss: row.gloss, match: hit.match }] : [];
    }),
  };
}

import { isWnid, normalizeSearchQuery, rankSearchHits, type SearchHit } from "@arbor/core";
import type { Db } from "@arbor/db";
import type { SynsetSearchQuery, SynsetSearchResult } from "./synset-schemas.ts";

/**
 * Finds synsets by wnid or text: exact lemma first, then lemma prefix, then words of the gloss (full-text).
 * Each kind is one indexed query; core's rankSearchHits merges them.
 */
export async function searchSynsets(db: Db, { q, limit }: SynsetSearchQuery): Promise<SynsetSearchResult> {
  const text = normalizeSearchQuery(q);
  const hits: SearchHit[] = [];
  const candidate = q.trim().toLowerCase();
  if (isWnid(candidate)) {
    const synset = await db.synset.findUnique({ where: { wnid: candidate }, select: { id: true, subtreeSize: true } });
    if (synset) hits.push({ id: synset.id, match: "wnid", lemmaPosition: 0, subtreeSize: synset.subtreeSize });
  }
  if (text) {
    const prefix = `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const [lemmaHits, glossHits] = await Promise.all([
      db.$queryRaw<{ id: number; position: number; exact: boolean; subtree_size: number }[]>`
        (SELECT l.synset_id AS id, l.position, true AS exact, s.subtree_size
           FROM synset_lemma l JOIN synset s ON s.id = l.synset_id WHERE l.key = ${text})
        UNION ALL
        (SELECT l.synset_id, l.position, false, s.subtree_size
           FROM synset_lemma l JOIN synset s ON s.id = l.synset_id
          WHERE l.key LIKE ${prefix} AND l.key <> ${text}
          ORDER BY length(l.key), s.subtree_size DESC LIMIT ${limit})`,
      db.$queryRaw<{ id: number; subtree_size: number }[]>`
        SELECT id, subtree_size FROM synset
         WHERE to_tsvector('english', gloss) @@ plainto_tsquery('english', ${text})
         ORDER BY ts_rank(to_tsvector('english', gloss), plainto_tsquery('english', ${text})) DESC, subtree_size DESC
         LIMIT ${limit}`,
    ]);
    for (const h of lemmaHits) {
      hits.push({
        id: h.id,
        match: h.exact ? "exact" : "prefix",
        lemmaPosition: h.position,
        subtreeSize: h.subtree_size,
      });
    }
    for (const h of glossHits) hits.push({ id: h.id, match: "gloss", lemmaPosition: 0, subtreeSize: h.subtree_size });
  }
  const ranked = rankSearchHits(hits, limit);
  const rows = await db.synset.findMany({
    where: { id: { in: ranked.map((h) => h.id) } },
    select: { id: true, wnid: true, lemmas: true, gloss: true },
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return {
    items: ranked.flatMap((hit) => {
      const row = byId.get(hit.id);
      return row ? [{ wnid: row.wnid, lemmas: row.lemmas, gloss: row.gloss, match: hit.match }] : [];
    }),
  };
}

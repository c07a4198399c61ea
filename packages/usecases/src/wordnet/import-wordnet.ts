import { readFile } from "node:fs/promises";
import { wnidFromOffset } from "@arbor/core";
import type { Db, Tx } from "@arbor/db";
import { forgetHierarchy } from "../synsets/hierarchy-cache.ts";
import { buildHierarchy } from "./build-hierarchy.ts";
import { defaultDataNounPath } from "./wordnet-source.ts";

export interface ImportWordnetOptions {
  dataNounPath?: string;
  onProgress?: (step: string, done: number, total: number) => void;
}

export interface ImportWordnetResult {
  synsets: number;
  edges: number;
  closureRows: number;
  /** Rows inserted, updated or deleted per table: all zero when the database already held this WordNet. */
  changes: { synsets: number; edges: number; closure: number; lemmas: number };
}

const CHUNK = 50_000;

/**
 * Runs a bulk write to synset_closure with its two foreign keys dropped and then re-added. Checked row by
 * row, 825k rows cost 1.6M index probes (about 10 s); re-adding the constraints validates them all with one
 * join each. DDL is transactional in PostgreSQL, so no other session ever sees the table without them.
 */
async function withClosureForeignKeysValidatedOnce<T>(tx: Tx, write: () => Promise<T>): Promise<T> {
  await tx.$executeRawUnsafe(`ALTER TABLE synset_closure
    DROP CONSTRAINT synset_closure_ancestor_id_fkey, DROP CONSTRAINT synset_closure_descendant_id_fkey`);
  const result = await write();
  await tx.$executeRawUnsafe(`ALTER TABLE synset_closure
    ADD CONSTRAINT synset_closure_ancestor_id_fkey FOREIGN KEY (ancestor_id) REFERENCES synset(id) ON DELETE CASCADE ON UPDATE CASCADE,
    ADD CONSTRAINT synset_closure_descendant_id_fkey FOREIGN KEY (descendant_id) REFERENCES synset(id) ON DELETE CASCADE ON UPDATE CASCADE`);
  return result;
}

/**
 * Loads all WordNet 3.0 noun synsets, their is-a edges, closure and lemma keys. Idempotent: rows are
 * staged in temporary tables and merged, so a second run writes nothing, and it all happens in one
 * transaction, so a killed import leaves the previous state intact.
 */
export async function importWordnet(db: Db, options: ImportWordnetOptions = {}): Promise<ImportWordnetResult> {
  const progress = options.onProgress ?? (() => {});
  const { synsets, edges, closure } = buildHierarchy(
    await readFile(options.dataNounPath ?? defaultDataNounPath(), "utf8"),
  );
  const lemmaRows = synsets.flatMap((s) => s.lemmas.map((lemma, position) => ({ id: s.offset, position, lemma })));
  const total = synsets.length + edges.length + closure.rows.length + lemmaRows.length;
  let done = 0;

  const changes = await db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`
        CREATE TEMP TABLE in_synset (id int, wnid text, gloss text, lex_file text, depth int, subtree_size int) ON COMMIT DROP;
        CREATE TEMP TABLE in_lemma (synset_id int, position int, lemma text) ON COMMIT DROP;
        CREATE TEMP TABLE in_edge (parent_id int, child_id int, kind "EdgeKind") ON COMMIT DROP;
        CREATE TEMP TABLE in_closure (ancestor_id int, descendant_id int, distance int) ON COMMIT DROP;`);

      const stage = async <T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) => {
        for (let i = 0; i < rows.length; i += CHUNK) {
          const chunk = rows.slice(i, i + CHUNK);
          await insert(chunk);
          done += chunk.length;
          progress("staging", done, total);
        }
      };
      await stage(
        synsets,
        (c) =>
          tx.$executeRaw`INSERT INTO in_synset SELECT * FROM unnest(
          ${c.map((s) => s.offset)}::int[], ${c.map((s) => wnidFromOffset(s.offset))}::text[],
          ${c.map((s) => s.gloss)}::text[], ${c.map((s) => s.lexFile)}::text[],
          ${c.map((s) => closure.depth.get(s.offset) as number)}::int[],
          ${c.map((s) => closure.subtreeSize.get(s.offset) as number)}::int[])`,
      );
      await stage(
        lemmaRows,
        (c) =>
          tx.$executeRaw`INSERT INTO in_lemma SELECT * FROM unnest(
          ${c.map((l) => l.id)}::int[], ${c.map((l) => l.position)}::int[], ${c.map((l) => l.lemma)}::text[])`,
      );
      await stage(
        edges,
        (c) =>
          tx.$executeRaw`INSERT INTO in_edge SELECT * FROM unnest(
          ${c.map((e) => e.parent)}::int[], ${c.map((e) => e.child)}::int[], ${c.map((e) => e.kind)}::"EdgeKind"[])`,
      );
      await stage(
        closure.rows,
        (c) =>
          tx.$executeRaw`INSERT INTO in_closure SELECT * FROM unnest(
          ${c.map((r) => r.ancestor)}::int[], ${c.map((r) => r.descendant)}::int[], ${c.map((r) => r.distance)}::int[])`,
      );

      progress("merging", done, total);
      await tx.$executeRawUnsafe("ANALYZE in_synset; ANALYZE in_lemma; ANALYZE in_edge; ANALYZE in_closure;");
      const merged = {
        synsets: await tx.$executeRawUnsafe(`
          INSERT INTO synset (id, wnid, lemmas, gloss, lex_file, depth, subtree_size)
          SELECT s.id, s.wnid, l.lemmas, s.gloss, s.lex_file, s.depth, s.subtree_size
          FROM in_synset s
          JOIN (SELECT synset_id, array_agg(lemma ORDER BY position) AS lemmas FROM in_lemma GROUP BY synset_id) l
            ON l.synset_id = s.id
          ON CONFLICT (id) DO UPDATE SET wnid = excluded.wnid, lemmas = excluded.lemmas, gloss = excluded.gloss,
            lex_file = excluded.lex_file, depth = excluded.depth, subtree_size = excluded.subtree_size
          WHERE (synset.wnid, synset.lemmas, synset.gloss, synset.lex_file, synset.depth, synset.subtree_size)
            IS DISTINCT FROM (excluded.wnid, excluded.lemmas, excluded.gloss, excluded.lex_file, excluded.depth, excluded.subtree_size)`),
        lemmas: await tx.$executeRawUnsafe(`
          INSERT INTO synset_lemma (synset_id, position, key) SELECT synset_id, position, lower(lemma) FROM in_lemma
          ON CONFLICT (synset_id, position) DO UPDATE SET key = excluded.key WHERE synset_lemma.key <> excluded.key`),
        edges: await tx.$executeRawUnsafe(`
          INSERT INTO synset_edge (parent_id, child_id, kind) SELECT * FROM in_edge
          ON CONFLICT (parent_id, child_id) DO UPDATE SET kind = excluded.kind WHERE synset_edge.kind <> excluded.kind`),
        closure: await withClosureForeignKeysValidatedOnce(tx, () =>
          tx.$executeRawUnsafe(`
            INSERT INTO synset_closure (ancestor_id, descendant_id, distance)
            SELECT * FROM in_closure ORDER BY ancestor_id, descendant_id
            ON CONFLICT (ancestor_id, descendant_id) DO UPDATE SET distance = excluded.distance
            WHERE synset_closure.distance <> excluded.distance`),
        ),
      };
      // Rows the source no longer has (only after a change of source; never with WordNet 3.0 twice).
      merged.lemmas += await tx.$executeRawUnsafe(`DELETE FROM synset_lemma t WHERE NOT EXISTS
        (SELECT 1 FROM in_lemma i WHERE i.synset_id = t.synset_id AND i.position = t.position)`);
      merged.edges += await tx.$executeRawUnsafe(`DELETE FROM synset_edge t WHERE NOT EXISTS
        (SELECT 1 FROM in_edge i WHERE i.parent_id = t.parent_id AND i.child_id = t.child_id)`);
      merged.closure += await tx.$executeRawUnsafe(`DELETE FROM synset_closure t WHERE NOT EXISTS
        (SELECT 1 FROM in_closure i WHERE i.ancestor_id = t.ancestor_id AND i.descendant_id = t.descendant_id)`);
      merged.synsets += await tx.$executeRawUnsafe(
        `DELETE FROM synset t WHERE NOT EXISTS (SELECT 1 FROM in_synset i WHERE i.id = t.id)`,
      );
      await tx.$executeRawUnsafe(`INSERT INTO synset_count (synset_id) SELECT id FROM synset ON CONFLICT DO NOTHING`);
      await tx
        .$executeRawUnsafe("ANALYZE synset; ANALYZE synset_edge; ANALYZE synset_closure; ANALYZE synset_lemma;")
        .catch(() => {});
      return merged;
    },
    { timeout: 600_000, maxWait: 60_000 },
  );
  // This process's copy of the hierarchy (synset pages, search) is stale once a row changed.
  if (Object.values(changes).some((n) => n > 0)) forgetHierarchy(db);
  progress("done", total, total);
  return { synsets: synsets.length, edges: edges.length, closureRows: closure.rows.length, changes };
}

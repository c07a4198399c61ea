import type { Tx } from "@arbor/db";

type State = "candidate" | "verified" | "rejected";

export interface LinkStateChange {
  imageId: number;
  synsetId: number;
  to: State;
}

/**
 * Moves existing links to a new state (consensus decisions, admin overrides) and keeps synset_count exact:
 * the direct per-state counts move, and subtree_verified gains (or loses) the image on every ancestor that
 * no other verified link of the image covers. subtree_images does not change: the link stays. Callers hold
 * the images' row locks (FOR UPDATE), as for new links.
 */
export async function applyLinkStateChanges(tx: Tx, changes: readonly LinkStateChange[]): Promise<void> {
  if (changes.length === 0) return;
  await tx.$executeRawUnsafe(
    `
    WITH
    wanted AS (SELECT * FROM unnest($1::int[], $2::int[], $3::"LinkState"[]) AS t(image_id, synset_id, state)),
    changed AS (
      UPDATE image_link l SET state = w.state, updated_at = now()
      FROM wanted w, image_link old
      WHERE l.image_id = w.image_id AND l.synset_id = w.synset_id AND l.state <> w.state
        AND old.image_id = l.image_id AND old.synset_id = l.synset_id
      RETURNING l.image_id, l.synset_id, old.state AS before, l.state AS after),
    direct AS (
      SELECT synset_id,
        count(*) FILTER (WHERE after = 'candidate') - count(*) FILTER (WHERE before = 'candidate') AS candidates,
        count(*) FILTER (WHERE after = 'verified') - count(*) FILTER (WHERE before = 'verified') AS verified,
        count(*) FILTER (WHERE after = 'rejected') - count(*) FILTER (WHERE before = 'rejected') AS rejected
      FROM changed GROUP BY synset_id),
    -- for every (ancestor, image) a verified-ness change touches: is the image covered by a verified link
    -- before and after? (Reads in this statement see the links as they were before its UPDATE.)
    touched AS (
      SELECT DISTINCT c.ancestor_id, ch.image_id
      FROM changed ch JOIN synset_closure c ON c.descendant_id = ch.synset_id
      WHERE (ch.after = 'verified') <> (ch.before = 'verified')),
    coverage AS (
      SELECT t.ancestor_id, t.image_id,
             bool_or(l.state = 'verified') AS before,
             bool_or(coalesce(w.state, l.state) = 'verified') AS after
      FROM touched t
      JOIN image_link l ON l.image_id = t.image_id
      JOIN synset_closure c ON c.descendant_id = l.synset_id AND c.ancestor_id = t.ancestor_id
      LEFT JOIN wanted w ON w.image_id = l.image_id AND w.synset_id = l.synset_id
      GROUP BY t.ancestor_id, t.image_id),
    subtree AS (
      SELECT ancestor_id AS synset_id, sum(after::int - before::int) AS subtree_verified
      FROM coverage GROUP BY ancestor_id),
    delta AS (
      SELECT coalesce(d.synset_id, s.synset_id) AS synset_id, coalesce(d.candidates, 0) AS candidates,
             coalesce(d.verified, 0) AS verified, coalesce(d.rejected, 0) AS rejected,
             coalesce(s.subtree_verified, 0) AS subtree_verified
      FROM direct d FULL JOIN subtree s ON s.synset_id = d.synset_id),
    locked AS (
      SELECT sc.synset_id FROM synset_count sc WHERE sc.synset_id IN (SELECT synset_id FROM delta)
      ORDER BY sc.synset_id FOR UPDATE)
    UPDATE synset_count sc SET
      candidates = sc.candidates + d.candidates,
      verified = sc.verified + d.verified,
      rejected = sc.rejected + d.rejected,
      subtree_verified = sc.subtree_verified + d.subtree_verified
    FROM delta d JOIN locked USING (synset_id)
    WHERE sc.synset_id = d.synset_id`,
    changes.map((c) => c.imageId),
    changes.map((c) => c.synsetId),
    changes.map((c) => c.to),
  );
}

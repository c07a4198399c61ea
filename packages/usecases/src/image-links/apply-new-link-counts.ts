import type { Tx } from "@arbor/db";

export interface NewLink {
  imageId: number;
  synsetId: number;
  state: "candidate" | "verified" | "rejected";
}

/**
 * Updates synset_count for links just inserted in this transaction (see README, "Image counts"). For every
 * ancestor of a new link's synset, the image counts once in the subtree unless one of the image's other
 * links already put it there; the same for verified links and subtree_verified. Callers must have locked the
 * images' rows (FOR UPDATE) so that concurrent writers of one image serialise. Count rows are locked in
 * synset order before the update, so concurrent batches cannot deadlock.
 */
export async function applyNewLinkCounts(tx: Tx, links: readonly NewLink[]): Promise<void> {
  if (links.length === 0) return;
  // One statement, parameters as arrays: no temporary tables (creating and dropping them per batch churns
  // the system catalogs and was most of an ingest's database time).
  await tx.$executeRawUnsafe(
    `
    WITH
    new_link AS (
      SELECT * FROM unnest($1::int[], $2::int[], $3::"LinkState"[]) AS t(image_id, synset_id, state)),
    direct AS (
      SELECT synset_id,
             count(*) AS images,
             count(*) FILTER (WHERE state = 'candidate') AS candidates,
             count(*) FILTER (WHERE state = 'verified') AS verified,
             count(*) FILTER (WHERE state = 'rejected') AS rejected
      FROM new_link GROUP BY synset_id),
    -- the (image, ancestor) pairs the new links reach, and those an older link of the image reached already
    reached AS (
      SELECT n.image_id, c.ancestor_id, bool_or(n.state = 'verified') AS verified
      FROM new_link n JOIN synset_closure c ON c.descendant_id = n.synset_id
      GROUP BY n.image_id, c.ancestor_id),
    older AS (
      SELECT l.image_id, c.ancestor_id, bool_or(l.state = 'verified') AS verified
      FROM image_link l JOIN synset_closure c ON c.descendant_id = l.synset_id
      WHERE l.image_id = ANY($1::int[])
        AND NOT EXISTS (SELECT 1 FROM new_link n WHERE n.image_id = l.image_id AND n.synset_id = l.synset_id)
      GROUP BY l.image_id, c.ancestor_id),
    subtree AS (
      SELECT r.ancestor_id AS synset_id,
             count(*) FILTER (WHERE o.image_id IS NULL) AS subtree_images,
             count(*) FILTER (WHERE r.verified AND NOT coalesce(o.verified, false)) AS subtree_verified
      FROM reached r LEFT JOIN older o ON o.image_id = r.image_id AND o.ancestor_id = r.ancestor_id
      GROUP BY r.ancestor_id),
    delta AS (
      SELECT coalesce(d.synset_id, s.synset_id) AS synset_id,
             coalesce(d.images, 0) AS images, coalesce(d.candidates, 0) AS candidates,
             coalesce(d.verified, 0) AS verified, coalesce(d.rejected, 0) AS rejected,
             coalesce(s.subtree_images, 0) AS subtree_images, coalesce(s.subtree_verified, 0) AS subtree_verified
      FROM direct d FULL JOIN subtree s ON s.synset_id = d.synset_id),
    -- lock the rows to change in synset order (a locking CTE is materialised), so batches never deadlock
    locked AS (
      SELECT sc.synset_id FROM synset_count sc
      WHERE sc.synset_id IN (SELECT synset_id FROM delta
                             WHERE (images, subtree_images, subtree_verified) <> (0, 0, 0))
      ORDER BY sc.synset_id FOR UPDATE)
    UPDATE synset_count sc SET
      images = sc.images + d.images,
      candidates = sc.candidates + d.candidates,
      verified = sc.verified + d.verified,
      rejected = sc.rejected + d.rejected,
      subtree_images = sc.subtree_images + d.subtree_images,
      subtree_verified = sc.subtree_verified + d.subtree_verified
    FROM delta d JOIN locked USING (synset_id)
    WHERE sc.synset_id = d.synset_id`,
    links.map((l) => l.imageId),
    links.map((l) => l.synsetId),
    links.map((l) => l.state),
  );
}

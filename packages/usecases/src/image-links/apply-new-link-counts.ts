import type { Db } from "@arbor/db";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

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
  await tx.$executeRawUnsafe(
    `CREATE TEMP TABLE new_link ON COMMIT DROP AS
       SELECT * FROM unnest($1::int[], $2::int[], $3::"LinkState"[]) AS t(image_id, synset_id, state)`,
    links.map((l) => l.imageId),
    links.map((l) => l.synsetId),
    links.map((l) => l.state),
  );
  await tx.$executeRawUnsafe(`
    CREATE TEMP TABLE link_delta ON COMMIT DROP AS
    WITH
    direct AS (
      SELECT synset_id,
             count(*) AS images,
             count(*) FILTER (WHERE state = 'candidate') AS candidates,
             count(*) FILTER (WHERE state = 'verified') AS verified,
             count(*) FILTER (WHERE state = 'rejected') AS rejected
      FROM new_link GROUP BY synset_id),
    -- the (image, ancestor) pairs the new links reach, and those no older link of the image reached already
    reached AS (
      SELECT n.image_id, c.ancestor_id, bool_or(n.state = 'verified') AS verified
      FROM new_link n JOIN synset_closure c ON c.descendant_id = n.synset_id
      GROUP BY n.image_id, c.ancestor_id),
    older AS (
      SELECT l.image_id, c.ancestor_id, bool_or(l.state = 'verified') AS verified
      FROM image_link l JOIN synset_closure c ON c.descendant_id = l.synset_id
      WHERE l.image_id IN (SELECT image_id FROM new_link)
        AND NOT EXISTS (SELECT 1 FROM new_link n WHERE n.image_id = l.image_id AND n.synset_id = l.synset_id)
      GROUP BY l.image_id, c.ancestor_id),
    subtree AS (
      SELECT r.ancestor_id AS synset_id,
             count(*) FILTER (WHERE o.image_id IS NULL) AS subtree_images,
             count(*) FILTER (WHERE r.verified AND NOT coalesce(o.verified, false)) AS subtree_verified
      FROM reached r LEFT JOIN older o ON o.image_id = r.image_id AND o.ancestor_id = r.ancestor_id
      GROUP BY r.ancestor_id)
    SELECT coalesce(d.synset_id, s.synset_id) AS synset_id,
           coalesce(d.images, 0) AS images, coalesce(d.candidates, 0) AS candidates,
           coalesce(d.verified, 0) AS verified, coalesce(d.rejected, 0) AS rejected,
           coalesce(s.subtree_images, 0) AS subtree_images, coalesce(s.subtree_verified, 0) AS subtree_verified
    FROM direct d FULL JOIN subtree s ON s.synset_id = d.synset_id`);
  await tx.$executeRawUnsafe(`
    SELECT 1 FROM synset_count WHERE synset_id IN (SELECT synset_id FROM link_delta) ORDER BY synset_id FOR UPDATE`);
  await tx.$executeRawUnsafe(`
    UPDATE synset_count sc SET
      images = sc.images + d.images,
      candidates = sc.candidates + d.candidates,
      verified = sc.verified + d.verified,
      rejected = sc.rejected + d.rejected,
      subtree_images = sc.subtree_images + d.subtree_images,
      subtree_verified = sc.subtree_verified + d.subtree_verified
    FROM link_delta d WHERE sc.synset_id = d.synset_id
      AND (d.images, d.subtree_images, d.subtree_verified) <> (0, 0, 0)`);
  await tx.$executeRawUnsafe("DROP TABLE new_link, link_delta");
}

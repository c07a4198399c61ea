import type { Db } from "@arbor/db";

/**
 * Gives the votes of abandoned tasks (lease expired, never submitted) back to the pool, exactly once per task:
 * marking released_at and decrementing the items' lease counts happen in one statement.
 */
export async function releaseExpiredLeases(db: Db): Promise<number> {
  return db.$executeRaw`
    WITH expired AS (
      UPDATE task SET released_at = now()
      WHERE released_at IS NULL AND submitted_at IS NULL AND lease_expires_at < now()
      RETURNING campaign_id, image_ids),
    slots AS (
      SELECT campaign_id, unnest(image_ids) AS image_id FROM expired)
    UPDATE campaign_item i SET leased = greatest(0, i.leased - s.k)
    FROM (SELECT campaign_id, image_id, count(*) AS k FROM slots GROUP BY campaign_id, image_id) s
    WHERE i.campaign_id = s.campaign_id AND i.image_id = s.image_id`;
}

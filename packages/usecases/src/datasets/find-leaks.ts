import type { Db } from "@arbor/db";
import { isNearDuplicate, phashDistance } from "../images/near-duplicate-sql.ts";
import type { Viewer } from "../restrictions/viewer.ts";
import { visibleImage } from "../restrictions/visible-image-sql.ts";

type Queryable = Pick<Db, "$queryRaw">;

export interface LeakageReport {
  /** Near-duplicate pairs whose images sit in different splits. Must be 0. */
  pairs: number;
  examples: Array<{ a: string; b: string; splitA: string; splitB: string; distance: number }>;
}

/**
 * Checks a stored version for cross-split near-duplicates, straight from its rows — independent of the code
 * that assigned the splits, so a bug there shows up here. (Exact duplicates cannot exist: one row per image,
 * one image per sha256.) Every pair is counted; a pair with an image restricted for the viewer is not shown
 * as an example (its sha256 next to a labelled neighbour would give its label away).
 */
export async function findLeaks(db: Queryable, versionId: number, viewer: Viewer): Promise<LeakageReport> {
  const rows = await db.$queryRaw<Array<LeakageReport["examples"][number] & { visible: boolean }>>`
    WITH v AS (
      SELECT i.id, i.sha256, i.phash, i.phash_band0 AS b0, i.phash_band1 AS b1, i.phash_band2 AS b2,
             i.phash_band3 AS b3, d.split::text AS split
      FROM dataset_item d JOIN image i ON i.id = d.image_id WHERE d.version_id = ${versionId}
    ), pairs AS (
      SELECT x.id AS xa, y.id AS ya FROM v x JOIN v y ON y.b0 = x.b0 AND y.id > x.id AND y.split <> x.split
      UNION SELECT x.id, y.id FROM v x JOIN v y ON y.b1 = x.b1 AND y.id > x.id AND y.split <> x.split
      UNION SELECT x.id, y.id FROM v x JOIN v y ON y.b2 = x.b2 AND y.id > x.id AND y.split <> x.split
      UNION SELECT x.id, y.id FROM v x JOIN v y ON y.b3 = x.b3 AND y.id > x.id AND y.split <> x.split
    )
    SELECT x.sha256 AS a, y.sha256 AS b, x.split AS "splitA", y.split AS "splitB",
           ${phashDistance("x", "y")}::int AS distance,
           ${visibleImage("x.id", viewer)} AND ${visibleImage("y.id", viewer)} AS visible
    FROM pairs p JOIN v x ON x.id = p.xa JOIN v y ON y.id = p.ya
    WHERE ${isNearDuplicate("x", "y")}
    ORDER BY a, b`;
  const examples = rows
    .filter((r) => r.visible)
    .slice(0, 50)
    .map(({ visible: _visible, ...example }) => example);
  return { pairs: rows.length, examples };
}

import type { Split } from "@arbor/core";
import type { Db } from "@arbor/db";

type Executes = Pick<Db, "$executeRaw">;

/** Why images are restricted (the `RestrictionReason` enum of the schema). */
export type RestrictionReason = "definition" | "export" | "challenge";

/**
 * Restricts the images of some splits of a version, for a reason: from now on their labels are shown to
 * nobody but admins and the version's owner (README: "Restricted images"). Idempotent: images already
 * restricted by this version stay as they are. The one way rows get into `image_restriction` (a frozen
 * definition's withheld splits, an export that withholds test labels, later a challenge's hidden split).
 * Takes a transaction too, so a freeze restricts in the transaction that stores the version.
 */
export async function restrictImages(
  db: Executes,
  input: { versionId: number; splits: readonly Split[]; reason: RestrictionReason },
): Promise<number> {
  if (input.splits.length === 0) return 0;
  return db.$executeRaw`
    INSERT INTO image_restriction (image_id, dataset_version_id, split, reason)
    SELECT d.image_id, d.version_id, d.split, ${input.reason}::"RestrictionReason" FROM dataset_item d
    WHERE d.version_id = ${input.versionId} AND d.split::text = ANY(${[...input.splits]}::text[])
    ON CONFLICT (image_id, dataset_version_id) DO NOTHING`;
}

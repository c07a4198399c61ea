import type { Split } from "@arbor/core";
import type { Db } from "@arbor/db";
import { forbidden } from "../errors.ts";
import { type Actor, isAdmin, type Viewer } from "./viewer.ts";
import { visibleImage } from "./visible-image-sql.ts";

/** Whether `actor` may change something owned by `ownerId` (null: made by the operator): its owner or an admin. */
export function mayChange(actor: Actor, ownerId: number | null): boolean {
  return isAdmin(actor) || (actor.id !== null && actor.id === ownerId);
}

/** `forbidden` unless the actor owns the thing (`what`: "model 3") or is an admin. */
export function assertMayChange(actor: Actor, ownerId: number | null, what: string): void {
  if (!mayChange(actor, ownerId)) {
    throw forbidden(`${what} belongs to someone else: only its owner or an admin may change it`);
  }
}

/**
 * The splits of a version whose labels an export would write although some of their images are restricted
 * for this viewer (withheld by a version they do not own). Empty: the export may go ahead. Driven by
 * image_restriction (small) joined to the version's items by primary key.
 */
export async function restrictedLabelledSplits(
  db: Pick<Db, "$queryRaw">,
  viewer: Viewer,
  versionId: number,
  withholdTestLabels: boolean,
): Promise<Split[]> {
  if (isAdmin(viewer)) return [];
  const rows = await db.$queryRaw<{ split: Split }[]>`
    SELECT DISTINCT d.split::text AS split FROM image_restriction r
    JOIN dataset_item d ON d.version_id = ${versionId} AND d.image_id = r.image_id
    WHERE (NOT ${withholdTestLabels} OR d.split <> 'test') AND NOT ${visibleImage("r.image_id", viewer)}
    ORDER BY 1`;
  return rows.map((r) => r.split);
}

/** `forbidden` when an export with these options would write labels this viewer may not see. */
export async function assertMayExportLabels(
  db: Pick<Db, "$queryRaw">,
  viewer: Viewer,
  versionId: number,
  withholdTestLabels: boolean,
): Promise<void> {
  const splits = await restrictedLabelledSplits(db, viewer, versionId, withholdTestLabels);
  if (splits.length === 0) return;
  const onlyTest = splits.length === 1 && splits[0] === "test";
  throw forbidden(
    `the labels of this version's ${splits.join(", ")} split${splits.length > 1 ? "s" : ""} are withheld: ` +
      `only the owner of the version that restricts them or an admin may export them labelled` +
      (onlyTest ? " (export with withholdTestLabels)" : ""),
  );
}

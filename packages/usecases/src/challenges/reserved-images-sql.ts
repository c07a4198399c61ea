import { Prisma } from "@arbor/db";

/**
 * The SQL test "this image is not reserved by a challenge": a phase made from a dataset version's split
 * reserves that split's images until its host releases them (`released_at`). A reserved image goes into no
 * other dataset version and no export of another version, whoever asks — admins and the host included, unlike
 * `visibleImage` (which hides labels from people): a reserved test image copied into a new version's train
 * split, or into an export of an older version, would hand its label to anyone training on it.
 *
 * `imageId` is a column of the caller's query (`l.image_id`), never user input. `exceptVersionId`: the version
 * being exported, whose own phases reserve nothing from it. The lookup starts from challenge_phase (a few rows)
 * and reaches dataset_item by its primary key (version_id, image_id).
 */
const COLUMN = /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/;
/** The fragment's own aliases: a caller's alias of the same name would be shadowed inside it. */
const OWN_ALIASES = ["reserving_", "reserved_"];

export function notReserved(imageId: string, exceptVersionId?: number): Prisma.Sql {
  if (!COLUMN.test(imageId)) throw new Error(`not a qualified SQL column: ${JSON.stringify(imageId)}`);
  if (OWN_ALIASES.some((alias) => imageId.startsWith(`${alias}.`)))
    throw new Error(`${imageId} is an alias of the fragment`);
  const except =
    exceptVersionId === undefined ? Prisma.empty : Prisma.sql`AND reserving_.dataset_version_id <> ${exceptVersionId}`;
  return Prisma.sql`NOT EXISTS (
    SELECT 1 FROM challenge_phase reserving_
    JOIN dataset_item reserved_ ON reserved_.version_id = reserving_.dataset_version_id
      AND reserved_.image_id = ${Prisma.raw(imageId)} AND reserved_.split = reserving_.split
    WHERE reserving_.truth_source = 'version' AND reserving_.released_at IS NULL ${except})`;
}

import { Prisma } from "@arbor/db";
import { isAdmin, type Viewer } from "./viewer.ts";

/**
 * The one SQL test of "may this viewer see this image's labels, and see it listed": true unless the image is
 * restricted (a row of `image_restriction`: it sits in a split whose labels are withheld), or the viewer is an
 * admin, or the viewer owns a version that restricts it. `imageId` is a column of the caller's query
 * (`l.image_id`), never user input. Each test is a lookup on image_restriction's primary key (image_id
 * first), so a listing filtered by it scans no table.
 */
const COLUMN = /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/;

function column(name: string): string {
  if (!COLUMN.test(name)) throw new Error(`not a qualified SQL column: ${JSON.stringify(name)}`);
  return name;
}

/** The fragment's own aliases: a caller's alias of the same name would be shadowed inside it. */
const OWN_ALIASES = ["restriction_", "restricting_"];

export function visibleImage(imageId: string, viewer: Viewer): Prisma.Sql {
  const id = column(imageId);
  if (OWN_ALIASES.some((alias) => id.startsWith(`${alias}.`))) throw new Error(`${id} is an alias of the fragment`);
  if (isAdmin(viewer)) return Prisma.sql`TRUE`;
  const unrestricted = Prisma.raw(
    `NOT EXISTS (SELECT 1 FROM image_restriction restriction_ WHERE restriction_.image_id = ${id})`,
  );
  if (viewer?.id === null || viewer?.id === undefined) return Prisma.sql`(${unrestricted})`;
  return Prisma.sql`(${unrestricted} OR EXISTS (
    SELECT 1 FROM image_restriction restriction_ JOIN dataset_version restricting_ ON restricting_.id = restriction_.dataset_version_id
    WHERE restriction_.image_id = ${Prisma.raw(id)} AND restricting_.created_by_id = ${viewer.id}))`;
}

import { type Db, Prisma } from "@arbor/db";
import { forbidden, notFound } from "../errors.ts";
import { assertMayBrowse } from "../restrictions/image-access.ts";
import { isAnnotatorOnly, type Viewer } from "../restrictions/viewer.ts";
import { visibleImage } from "../restrictions/visible-image-sql.ts";
import { type SynsetImages, type SynsetImagesQuery, thumbnailUrl } from "./image-schemas.ts";

interface Row {
  id: number;
  wnid: string;
  state: "candidate" | "verified" | "rejected";
  width: number;
  height: number;
  thumbnail_width: number;
  thumbnail_height: number;
}

/**
 * A page of a synset's images, newest first, by keyset pagination on image id (constant cost at any depth,
 * unlike OFFSET). With `descendants`, images linked anywhere in the subtree (via the closure), each once.
 * Images restricted for the viewer (labels withheld) are not listed; an annotator gets no link states and may
 * not filter by them.
 */
export async function listSynsetImages(
  db: Db,
  wnid: string,
  query: SynsetImagesQuery,
  viewer: Viewer = null,
): Promise<SynsetImages> {
  assertMayBrowse(viewer);
  const blind = isAnnotatorOnly(viewer);
  if (blind && query.state) throw forbidden("annotators see no link states, so cannot filter by them");
  const synset = await db.synset.findUnique({ where: { wnid }, select: { id: true } });
  if (!synset) throw notFound(`no synset ${wnid}`);
  const cursor = query.cursor ?? 2_147_483_647;
  const linked = query.descendants
    ? Prisma.sql`l.synset_id IN (SELECT descendant_id FROM synset_closure WHERE ancestor_id = ${synset.id})`
    : Prisma.sql`l.synset_id = ${synset.id}`;
  const rows = await db.$queryRaw<Row[]>`
    SELECT DISTINCT ON (i.id) i.id, s.wnid, l.state::text AS state, i.width, i.height, i.thumbnail_width, i.thumbnail_height
    FROM image_link l
    JOIN image i ON i.id = l.image_id
    JOIN synset s ON s.id = l.synset_id
    WHERE ${linked}
      AND l.image_id < ${cursor} AND (${query.state ?? null}::"LinkState" IS NULL OR l.state = ${query.state ?? null}::"LinkState")
      AND ${visibleImage("l.image_id", viewer)}
    ORDER BY i.id DESC, s.id
    LIMIT ${query.limit + 1}`;
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((r) => ({
      id: r.id,
      wnid: r.wnid,
      state: blind ? null : r.state,
      width: r.width,
      height: r.height,
      thumbnailUrl: thumbnailUrl(r.id),
      thumbnailWidth: r.thumbnail_width,
      thumbnailHeight: r.thumbnail_height,
    })),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

import type { Db } from "@arbor/db";
import { notFound } from "../errors.ts";
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
 */
export async function listSynsetImages(db: Db, wnid: string, query: SynsetImagesQuery): Promise<SynsetImages> {
  const synset = await db.synset.findUnique({ where: { wnid }, select: { id: true } });
  if (!synset) throw notFound(`no synset ${wnid}`);
  const cursor = query.cursor ?? 2_147_483_647;
  const rows = await db.$queryRawUnsafe<Row[]>(
    `SELECT DISTINCT ON (i.id) i.id, s.wnid, l.state::text AS state, i.width, i.height, i.thumbnail_width, i.thumbnail_height
     FROM image_link l
     JOIN image i ON i.id = l.image_id
     JOIN synset s ON s.id = l.synset_id
     WHERE ${query.descendants ? "l.synset_id IN (SELECT descendant_id FROM synset_closure WHERE ancestor_id = $1)" : "l.synset_id = $1"}
       AND l.image_id < $2 AND ($3::"LinkState" IS NULL OR l.state = $3::"LinkState")
     ORDER BY i.id DESC, s.id
     LIMIT $4`,
    synset.id,
    cursor,
    query.state ?? null,
    query.limit + 1,
  );
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((r) => ({
      id: r.id,
      wnid: r.wnid,
      state: r.state,
      width: r.width,
      height: r.height,
      thumbnailUrl: thumbnailUrl(r.id),
      thumbnailWidth: r.thumbnail_width,
      thumbnailHeight: r.thumbnail_height,
    })),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

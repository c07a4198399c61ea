import { type Db, Prisma } from "@arbor/db";
import { forbidden } from "../errors.ts";
import { assertMayBrowse } from "../restrictions/image-access.ts";
import { isAnnotatorOnly, type Viewer } from "../restrictions/viewer.ts";
import { visibleImage } from "../restrictions/visible-image-sql.ts";
import { findSynsetNode } from "../synsets/list-synset-children.ts";
import { type SynsetImages, type SynsetImagesQuery, thumbnailUrl } from "./image-schemas.ts";

interface Row {
  id: number;
  synset_id: number;
  state: "candidate" | "verified" | "rejected";
  width: number;
  height: number;
  thumbnail_width: number;
  thumbnail_height: number;
}

/**
 * A subtree listing walks image links newest first (the primary key backwards) and keeps those in the subtree
 * while it expects to find a page within this many links; a sparser subtree (a few images among 1.28 M) is
 * listed synset by synset instead (each synset's newest from its index, merged), which costs one index probe
 * per synset with images but does not read past millions of links of other synsets.
 */
const SCAN_BUDGET = 20_000;

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
  const { hierarchy, node } = await findSynsetNode(db, wnid);
  const cursor = query.cursor ?? 2_147_483_647;
  const state = query.state ?? null;
  const n = query.limit + 1;
  const wanted = (l: string) =>
    Prisma.sql`${Prisma.raw(l)}.image_id < ${cursor}
      ${state === null ? Prisma.empty : Prisma.sql`AND ${Prisma.raw(l)}.state = ${state}::"LinkState"`}
      AND ${visibleImage(`${l}.image_id`, viewer)}`;
  // Each strategy picks the page's links first (index only, stopping at the page) and then reads those images.
  let links: Prisma.Sql;
  if (!query.descendants) {
    links = Prisma.sql`
      SELECT l.image_id, l.synset_id, l.state FROM image_link l
      WHERE l.synset_id = ${node.id} AND ${wanted("l")} ORDER BY l.image_id DESC LIMIT ${n}`;
  } else {
    // Both ways in one statement: the density test is an InitPlan, so each branch's condition on it is a
    // one-time filter and only one branch runs (one round trip instead of two). In the second, every image
    // among the subtree's newest `n` is among the newest `n` of each synset it is linked to (the images above
    // it there are above it here too), so merging each synset's page is exact.
    const dense = Prisma.sql`(SELECT dense FROM density)`;
    links = Prisma.sql`
      WITH density AS MATERIALIZED (${densitySql(node.id, hierarchy.roots, state, n)})
      (SELECT DISTINCT ON (l.image_id) l.image_id, l.synset_id, l.state FROM image_link l
        WHERE ${dense} AND l.synset_id IN (SELECT descendant_id FROM synset_closure WHERE ancestor_id = ${node.id})
          AND ${wanted("l")}
        ORDER BY l.image_id DESC, l.synset_id LIMIT ${n})
      UNION ALL
      (SELECT DISTINCT ON (l.image_id) l.image_id, l.synset_id, l.state
        FROM synset_closure c
        JOIN synset_count k ON k.synset_id = c.descendant_id AND k.images > 0
        CROSS JOIN LATERAL (
          SELECT t.image_id, t.synset_id, t.state FROM image_link t
          WHERE t.synset_id = c.descendant_id AND ${wanted("t")} ORDER BY t.image_id DESC LIMIT ${n}) l
        WHERE NOT ${dense} AND c.ancestor_id = ${node.id}
        ORDER BY l.image_id DESC, l.synset_id LIMIT ${n})`;
  }
  const rows = await db.$queryRaw<Row[]>`
    SELECT i.id, l.synset_id, l.state::text AS state, i.width, i.height, i.thumbnail_width, i.thumbnail_height
    FROM (${links}) l JOIN image i ON i.id = l.image_id
    ORDER BY i.id DESC`;
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((r) => ({
      id: r.id,
      wnid: hierarchy.byId.get(r.synset_id)?.wnid as string,
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

/**
 * One row, `dense`: whether walking all links newest first finds `wanted` of the subtree's within SCAN_BUDGET
 * links, by the subtree's share of all images (synset_count; candidates and rejected links have no subtree
 * count, so a listing filtered by those states is taken synset by synset).
 */
function densitySql(
  synsetId: number,
  roots: readonly number[],
  state: SynsetImagesQuery["state"] | null,
  wanted: number,
): Prisma.Sql {
  if (state !== null && state !== "verified") return Prisma.sql`SELECT false AS dense`;
  const count = Prisma.raw(state === "verified" ? "subtree_verified" : "subtree_images");
  return Prisma.sql`
    SELECT coalesce(sum(${count}) FILTER (WHERE synset_id = ${synsetId}), 0) > 0
       AND ${wanted}::bigint * coalesce(sum(subtree_images) FILTER (WHERE synset_id = ANY(${roots}::int[])), 0)
           <= ${SCAN_BUDGET}::bigint * coalesce(sum(${count}) FILTER (WHERE synset_id = ${synsetId}), 0) AS dense
    FROM synset_count WHERE synset_id = ${synsetId} OR synset_id = ANY(${roots}::int[])`;
}

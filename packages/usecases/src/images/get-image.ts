import { fromSignedBigInt64 } from "@arbor/core";
import type { Db } from "@arbor/db";
import { notFound } from "../errors.ts";
import { type ImageDetail, originalUrl, thumbnailUrl } from "./image-schemas.ts";
import { isNearDuplicate, phashDistance, sharesPhashBand } from "./near-duplicate-sql.ts";

/** An image with its sources, synset links and near-duplicates (band lookup, then exact distance). */
export async function getImage(db: Db, id: number): Promise<ImageDetail> {
  const image = await db.image.findUnique({
    where: { id },
    include: {
      sources: { orderBy: { id: "asc" }, select: { kind: true, locator: true, createdAt: true } },
      links: { select: { state: true, synset: { select: { wnid: true, lemmas: true } } } },
    },
  });
  if (!image) throw notFound(`no image ${id}`);
  const near = await db.$queryRaw<{ id: number; distance: number }[]>`
    SELECT o.id, ${phashDistance("o", "i")}::int AS distance
    FROM image i JOIN image o ON o.id <> i.id AND ${sharesPhashBand("o", "i")}
    WHERE i.id = ${id} AND ${isNearDuplicate("o", "i")}
    ORDER BY distance, o.id LIMIT 24`;
  return {
    id: image.id,
    sha256: image.sha256,
    phash: fromSignedBigInt64(image.phash).toString(16).padStart(16, "0"),
    width: image.width,
    height: image.height,
    format: image.format,
    bytes: image.bytes,
    license: image.license,
    attribution: image.attribution,
    createdAt: image.createdAt.toISOString(),
    thumbnailUrl: thumbnailUrl(image.id),
    originalUrl: originalUrl(image.id),
    sources: image.sources.map((s) => ({ kind: s.kind, locator: s.locator, createdAt: s.createdAt.toISOString() })),
    synsets: image.links.map((l) => ({ wnid: l.synset.wnid, lemmas: l.synset.lemmas, state: l.state })),
    nearDuplicates: near.map((n) => ({ id: n.id, distance: n.distance, thumbnailUrl: thumbnailUrl(n.id) })),
  };
}

import { fromSignedBigInt64, NEAR_DUPLICATE_MAX_DISTANCE } from "@arbor/core";
import type { Db } from "@arbor/db";
import { type ImageDetail, originalUrl, thumbnailUrl } from "./image-schemas.ts";

/** An image with its sources, synset links and near-duplicates (band lookup, then exact distance). */
export async function getImage(db: Db, id: number): Promise<ImageDetail | null> {
  const image = await db.image.findUnique({
    where: { id },
    include: {
      sources: { orderBy: { id: "asc" }, select: { kind: true, locator: true, createdAt: true } },
      links: { select: { state: true, synset: { select: { wnid: true, lemmas: true } } } },
    },
  });
  if (!image) return null;
  const near = await db.$queryRaw<{ id: number; distance: number }[]>`
    SELECT o.id, bit_count((o.phash # i.phash)::bit(64))::int AS distance
    FROM image i JOIN image o ON o.id <> i.id
      AND (o.phash_band0 = i.phash_band0 OR o.phash_band1 = i.phash_band1
           OR o.phash_band2 = i.phash_band2 OR o.phash_band3 = i.phash_band3)
    WHERE i.id = ${id} AND bit_count((o.phash # i.phash)::bit(64)) <= ${NEAR_DUPLICATE_MAX_DISTANCE}
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

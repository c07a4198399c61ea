import { fromSignedBigInt64 } from "@arbor/core";
import type { Db } from "@arbor/db";
import { notFound } from "../errors.ts";
import { assertMayBrowse, imageAccess } from "../restrictions/image-access.ts";
import type { Viewer } from "../restrictions/viewer.ts";
import { visibleImage } from "../restrictions/visible-image-sql.ts";
import { type ImageDetail, originalUrl, thumbnailUrl } from "./image-schemas.ts";
import { isNearDuplicate, phashDistance, sharesPhashBand } from "./near-duplicate-sql.ts";

/**
 * An image with its sources, synset links and near-duplicates (band lookup, then exact distance), as far as
 * `viewer` may see them (anonymous unless given): a restricted image shows none of what could give its label
 * away; an annotator sees no link states; only admins see where an image came from (locators); neighbours
 * restricted for the viewer are not listed.
 */
export async function getImage(db: Db, id: number, viewer: Viewer = null): Promise<ImageDetail> {
  assertMayBrowse(viewer);
  const access = await imageAccess(db, viewer, id);
  const image = await db.image.findUnique({
    where: { id },
    include: {
      sources: { orderBy: { id: "asc" }, select: { kind: true, locator: true, createdAt: true } },
      links: {
        select: {
          state: true,
          originModelId: true,
          originScore: true,
          modelVerifiedById: true,
          modelVerifiedPrior: true,
          synset: { select: { wnid: true, lemmas: true } },
        },
      },
    },
  });
  if (!image) throw notFound(`no image ${id}`);
  const near = access.restricted
    ? []
    : await db.$queryRaw<{ id: number; distance: number }[]>`
    SELECT o.id, ${phashDistance("o", "i")}::int AS distance
    FROM image i JOIN image o ON o.id <> i.id AND ${sharesPhashBand("o", "i")}
    WHERE i.id = ${id} AND ${isNearDuplicate("o", "i")} AND ${visibleImage("o.id", viewer)}
    ORDER BY distance, o.id LIMIT 24`;
  const hidden = access.restricted;
  return {
    id: image.id,
    labelsWithheld: !access.labels,
    sha256: hidden ? null : image.sha256,
    phash: hidden ? null : fromSignedBigInt64(image.phash).toString(16).padStart(16, "0"),
    width: image.width,
    height: image.height,
    format: image.format,
    bytes: image.bytes,
    license: hidden ? null : image.license,
    attribution: hidden ? null : image.attribution,
    createdAt: image.createdAt.toISOString(),
    thumbnailUrl: thumbnailUrl(image.id),
    originalUrl: originalUrl(image.id),
    sources: hidden
      ? []
      : image.sources.map((s) => ({
          kind: s.kind,
          locator: access.locators ? s.locator : null,
          createdAt: s.createdAt.toISOString(),
        })),
    synsets: access.labels
      ? image.links.map((l) => ({
          wnid: l.synset.wnid,
          lemmas: l.synset.lemmas,
          state: l.state,
          // Admins only, like locators: a model's word on a candidate would lean on an annotator's vote.
          proposedBy:
            access.locators && l.originModelId !== null
              ? { modelId: l.originModelId, score: l.originScore ?? 0 }
              : null,
          modelVerified:
            access.locators && l.modelVerifiedById !== null
              ? { modelId: l.modelVerifiedById, prior: l.modelVerifiedPrior ?? 0 }
              : null,
        }))
      : [],
    nearDuplicates: near.map((n) => ({ id: n.id, distance: n.distance, thumbnailUrl: thumbnailUrl(n.id) })),
  };
}

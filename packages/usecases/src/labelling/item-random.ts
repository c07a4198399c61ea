import { createHash } from "node:crypto";
import { Prisma } from "@arbor/db";

/**
 * An image's random number in a campaign, uniform in [0, 1) and fixed by (campaign, image): the first 32 bits
 * of md5("campaign:image"). It is the random ordering's key (and, under the others, the key of images
 * without a prior), computed the same way in SQL (when a campaign is created) and here (when the seed calibrates its model),
 * so an image keeps its place in the random order whoever computes it.
 */
export function itemRandom(campaignId: number, imageId: number): number {
  const hex = createHash("md5").update(`${campaignId}:${imageId}`).digest("hex").slice(0, 8);
  return Number.parseInt(hex, 16) / 2 ** 32;
}

/** itemRandom of campaign_item's image_id, in SQL. */
export function itemRandomSql(campaignId: number): Prisma.Sql {
  return Prisma.sql`(('x' || substr(md5(${`${campaignId}:`}::text || image_id::text), 1, 8))::bit(32)::bigint / 4294967296.0)::float8`;
}

/**
 * While the seed set collects its votes the seed images' keys are shifted by this below every other key
 * (which are all ≥ −1: see orderingPriority), so they come first in the (campaign, decision, priority) index.
 */
export const SEED_SHIFT = 2;

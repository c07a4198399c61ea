import { createHash } from "node:crypto";
import { Prisma } from "@arbor/db";

/**
 * An image's random number in a campaign, uniform in [0, 1) and fixed by (campaign, image): the first 32 bits
 * of md5("campaign:image"). It is the random ordering's key (and, under the others, the key of images
 * without a prior), computed the same way in SQL (when a campaign is created) and here (when the calibration
 * set calibrates its model), so an image keeps its place in the random order whoever computes it. The
 * calibration set is drawn in this order too: the seed, then the non-seed images with the lowest numbers.
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

/**
 * Until a model campaign is calibrated, the keys of its calibration set's other images are shifted by this:
 * in [−1, 0), after the seed's [−2, −1) and before every other image's [0, 1), so the set is handed out right
 * after the seed and completes first (the model waits for it).
 */
export const CALIBRATION_SHIFT = 1;

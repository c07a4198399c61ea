import { NEAR_DUPLICATE_MAX_DISTANCE } from "@arbor/core";
import { Prisma } from "@arbor/db";

/**
 * The near-duplicate test in SQL, written once. `a` and `b` are aliases of rows with the `image` table's
 * pHash columns (`phash`, `phash_band0..3`); they are identifiers of the caller's query, never user input.
 */

const ALIAS = /^[a-z_][a-z0-9_]*$/;

function alias(name: string): string {
  if (!ALIAS.test(name)) throw new Error(`not an SQL alias: ${JSON.stringify(name)}`);
  return name;
}

/** The Hamming distance between the two rows' 64-bit pHashes. */
export function phashDistance(a: string, b: string): Prisma.Sql {
  return Prisma.raw(`bit_count((${alias(a)}.phash # ${alias(b)}.phash)::bit(64))`);
}

/** The two rows are near-duplicates: at most NEAR_DUPLICATE_MAX_DISTANCE bits apart. */
export function isNearDuplicate(a: string, b: string): Prisma.Sql {
  return Prisma.sql`${phashDistance(a, b)} <= ${NEAR_DUPLICATE_MAX_DISTANCE}`;
}

/**
 * The two rows share one of the four 16-bit pHash bands: the indexed lookup that must hold for any pair within
 * NEAR_DUPLICATE_MAX_DISTANCE (pigeonhole), checked before the exact distance.
 */
export function sharesPhashBand(a: string, b: string): Prisma.Sql {
  const [x, y] = [alias(a), alias(b)];
  return Prisma.raw(`(${[0, 1, 2, 3].map((band) => `${x}.phash_band${band} = ${y}.phash_band${band}`).join(" OR ")})`);
}

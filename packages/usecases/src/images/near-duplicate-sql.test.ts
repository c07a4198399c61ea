import { NEAR_DUPLICATE_MAX_DISTANCE } from "@arbor/core";
import { useTestDatabase } from "@arbor/db/testing";
import { describe, expect, it } from "vitest";
import { isNearDuplicate, phashDistance, sharesPhashBand } from "./near-duplicate-sql.ts";

describe("the near-duplicate SQL (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");

  /** Two rows shaped like `image`'s pHash columns, `bits` apart (the lowest bits set in b). */
  const compare = async (bits: number, bands: [number, number]) => {
    const b = (1n << BigInt(bits)) - 1n;
    const [row] = await t.db.$queryRaw<{ distance: number; near: boolean; band: boolean }[]>`
      SELECT ${phashDistance("a", "b")}::int AS distance, ${isNearDuplicate("a", "b")} AS near,
             ${sharesPhashBand("a", "b")} AS band
      FROM (SELECT 0::bigint AS phash, 1 AS phash_band0, 1 AS phash_band1, 1 AS phash_band2, 1 AS phash_band3) a,
           (SELECT ${b}::bigint AS phash, ${bands[0]}::int AS phash_band0, 2 AS phash_band1, 2 AS phash_band2,
                   ${bands[1]}::int AS phash_band3) b`;
    return row;
  };

  it("is at most NEAR_DUPLICATE_MAX_DISTANCE bits apart", async () => {
    expect(await compare(NEAR_DUPLICATE_MAX_DISTANCE, [1, 2])).toEqual({
      distance: NEAR_DUPLICATE_MAX_DISTANCE,
      near: true,
      band: true,
    });
    expect(await compare(NEAR_DUPLICATE_MAX_DISTANCE + 1, [2, 1])).toEqual({
      distance: NEAR_DUPLICATE_MAX_DISTANCE + 1,
      near: false,
      band: true,
    });
    expect((await compare(0, [2, 2]))?.band).toBe(false);
  });

  it("takes only SQL aliases", () => {
    expect(() => isNearDuplicate("a", "b; DROP TABLE image")).toThrow(/not an SQL alias/);
    expect(() => sharesPhashBand("A", "b")).toThrow(/not an SQL alias/);
  });
});
